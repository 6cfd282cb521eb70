-- The education indicators (GD_*) per unit and period, ready for fct_indicator_value, at two
-- levels: each school's province, and its own unit (commune or ward) as the school reported it.
-- The source reports per school year and exam year, not per month, so these rows join the
-- rolled monthly figures as they are. School years (period_type school_year, label 2023-2024,
-- shown against the calendar year in which they end): counts summed over the unit's schools,
-- qualified-teacher rate = Σ qualified / Σ teachers. Exam years (period_type year): candidates
-- and graduates summed, pass rate = Σ graduates / Σ candidates; every level from its own sums,
-- never an average of rates. A figure belongs to its period: a school year's schools are
-- placed in the units of the generation in force at its end (int_school_figures_placed,
-- whenever a row was sent); an exam year ending after the reform counts every school under
-- today's province, so no generation holds a part of it; its communes are those of the
-- school year the exam ends, read against today's units downstream through the crosswalk
-- (int_indicator_values_by_current_unit_period) as every source's are. A school whose own
-- unit nothing places counts in its province only. Rows nothing places are in
-- int_education_records_unplaced. is_partial_period: the year's newest snapshot was taken
-- before it ended. admin_level: province, or the level of the school's own unit.
{%- set reform = "date '" ~ var('admin_reform_date') ~ "'" %}

with located as (
    select * from {{ ref('int_school_figures_placed') }}
    where province_code is not null
),

units as (
    select admin_unit_key, level from {{ ref('int_admin_units_unioned') }}
    where level <> 'province'
),

-- each placed school once per level it counts at: its province, and its own unit
school_units as (
    select
        located.* except (unit_key),
        'province' as admin_level,
        located.province_code as unit_code,
        located.province_code || located.generation as unit_key
    from located
    union all
    select
        located.* except (unit_key),
        units.level as admin_level,
        split_part(located.unit_key, '@', 1) as unit_code,
        located.unit_key
    from located
    inner join units on units.admin_unit_key = located.unit_key
),

results as (
    select * from {{ ref('int_exam_results_latest') }}
),

school_years as (
    select
        admin_level,
        unit_code,
        unit_key as admin_unit_key,
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
    from school_units
    group by admin_level, unit_code, unit_key, school_year, end_year
),

exam_years_placed as (
    select
        results.*,
        located.admin_level,
        case when located.admin_level <> 'province' then located.unit_code
            when make_date(results.exam_year, 12, 31) < {{ reform }}
                then located.province_code
            else located.province_code_today end as unit_code,
        case when located.admin_level <> 'province' then located.unit_key
            when make_date(results.exam_year, 12, 31) < {{ reform }}
                then located.province_code || '@before_2025_07'
            else located.province_code_today || '@from_2025_07' end as unit_key
    from results
    inner join school_units as located
        on located.school_id = results.school_id and located.end_year = results.exam_year
),

exam_years as (
    select
        results.admin_level,
        results.unit_code,
        results.unit_key as admin_unit_key,
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
    where results.unit_code is not null
    group by results.admin_level, results.unit_code, results.unit_key, results.exam_year
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
        unit_code as admin_unit_code,
        admin_unit_key,
        admin_level,
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
    long.admin_level,
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
