-- The education indicators (GD_*) per province and period, ready for fct_indicator_value: the
-- source reports per school year and exam year, not per month, so these rows join the rolled
-- monthly figures as they are. School years (period_type school_year, label 2023-2024, shown
-- against the calendar year in which they end): counts summed over the schools of the
-- province, qualified-teacher rate = Σ qualified / Σ teachers. Exam years (period_type year):
-- candidates and graduates summed, pass rate = Σ graduates / Σ candidates. A figure belongs
-- to its period: a school year's schools are placed in the provinces of the generation in
-- force at its end (int_school_figures_placed, whenever a row was sent); an exam year ending
-- after the reform counts every school under today's province, so no generation holds a
-- part of it. Rows nothing places are in int_education_records_unplaced. is_partial_period:
-- the year's newest snapshot was taken before it ended.
{%- set reform = "date '" ~ var('admin_reform_date') ~ "'" %}

with located as (
    select * from {{ ref('int_school_figures_placed') }}
    where province_code is not null
),

results as (
    select * from {{ ref('int_exam_results_latest') }}
),

school_years as (
    select
        province_code,
        province_code || generation as admin_unit_key,
        school_year as period_label,
        (end_year - 2) || '-' || (end_year - 1) as period_label_last_year,
        make_date(end_year - 1, 9, 1) as period_start,
        make_date(end_year, 5, 31) as period_end,
        count(*) as schools,
        sum(classes) as classes,
        sum(pupils) as pupils,
        sum(female_pupils) as female_pupils,
        sum(teachers) as teachers,
        sum(qualified_teachers) as qualified_teachers,
        max(extracted_at) < make_date(end_year, 5, 31) as is_partial_period,
        least(date_trunc('month', max(updated_at)), make_date(end_year, 5, 1))::date
            as last_data_month,
        {{ arg_max("load_id", "extracted_at") }} as source_load_id
    from located
    group by province_code, generation, school_year, end_year
),

exam_years_placed as (
    select
        results.*,
        case when make_date(results.exam_year, 12, 31) < {{ reform }}
            then located.province_code else located.province_code_today end as province_code,
        case when make_date(results.exam_year, 12, 31) < {{ reform }}
            then '@before_2025_07' else '@from_2025_07' end as generation
    from results
    inner join located
        on located.school_id = results.school_id and located.end_year = results.exam_year
),

exam_years as (
    select
        results.province_code,
        results.province_code || results.generation as admin_unit_key,
        results.exam_year::{{ dbt.type_string() }} as period_label,
        (results.exam_year - 1)::{{ dbt.type_string() }} as period_label_last_year,
        make_date(results.exam_year, 1, 1) as period_start,
        make_date(results.exam_year, 12, 31) as period_end,
        sum(results.candidates) as candidates,
        sum(results.graduates) as graduates,
        least(
            date_trunc('month', max(results.extracted_at)), make_date(results.exam_year, 12, 1)
        )::date as last_data_month,
        {{ arg_max("results.load_id", "results.extracted_at") }} as source_load_id
    from exam_years_placed as results
    where results.province_code is not null
    group by results.province_code, results.generation, results.exam_year
),

{%- set school_year_indicators = {
    'GD_SO_TRUONG': ('schools', none), 'GD_SO_LOP': ('classes', none),
    'GD_SO_HOC_SINH': ('pupils', none), 'GD_SO_HOC_SINH_NU': ('female_pupils', none),
    'GD_SO_GIAO_VIEN': ('teachers', none),
    'GD_SO_GIAO_VIEN_DAT_CHUAN': ('qualified_teachers', none),
    'GD_TY_LE_GV_DAT_CHUAN': ('qualified_teachers', 'teachers'),
} %}
{%- set exam_indicators = {
    'GD_THI_SINH_DU_THI': ('candidates', none), 'GD_THI_SINH_TOT_NGHIEP': ('graduates', none),
    'GD_TY_LE_TOT_NGHIEP_THPT': ('graduates', 'candidates'),
} %}

long as (
    {%- for period_type, relation, indicators in [
        ('school_year', 'school_years', school_year_indicators),
        ('year', 'exam_years', exam_indicators)] %}
    {%- for code, (numerator, denominator) in indicators.items() %}
    select
        '{{ code }}' as indicator_code,
        province_code as admin_unit_code,
        admin_unit_key,
        '{{ period_type }}' as period_type,
        period_label, period_start, period_end, period_label_last_year,
        {%- if denominator is none %}
        {{ numerator }}::double as actual_value,
        null::double as numerator,
        null::double as denominator,
        {%- else %}
        100.0 * {{ numerator }} / nullif({{ denominator }}, 0) as actual_value,
        {{ numerator }}::double as numerator,
        {{ denominator }}::double as denominator,
        {%- endif %}
        {{ 'is_partial_period' if period_type == 'school_year' else 'false' }}
            as is_partial_period,
        last_data_month,
        source_load_id
    from {{ relation }}
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
)

select
    long.indicator_code,
    long.admin_unit_code,
    long.admin_unit_key,
    long.period_type,
    long.period_label,
    long.period_start,
    long.period_end,
    long.period_label_last_year,
    indicators.aggregation,
    long.actual_value,
    long.numerator,
    long.denominator,
    null::double as plan_value,
    long.last_data_month,
    long.is_partial_period,
    false as is_estimate,
    'giaoduc' as source,
    long.source_load_id
from long
inner join {{ ref('indicators') }} as indicators using (indicator_code)
