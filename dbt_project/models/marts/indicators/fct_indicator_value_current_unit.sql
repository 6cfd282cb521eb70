-- Every indicator figure read against today's units, over the whole history: figures of the
-- units before the 2025-07-01 reform go to their successor through the crosswalk (full merges
-- summed, ratios from summed numerators and denominators, split units flagged and not moved),
-- so a series runs unbroken across the reform and year-on-year compares the same territory.
{{ indicator_value_rows("rolled.admin_unit_key like '%@from_2025_07'") }}
