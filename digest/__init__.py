"""The leaders' monthly digest (bản tin tháng): alerts, indicators at risk with their forecast
charts, what is missing; HTML and PDF written by the refresh after the publish."""
