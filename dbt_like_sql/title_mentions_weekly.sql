-- The trend of each title: mentions and articles per ISO week (Monday to Sunday), syndicated
-- copies left out, with the change on the week before.
with weekly as (
    select
        title_entity_id,
        any_value(title)               as title,
        date_trunc('week', day)::date  as week,
        sum(mentions)                  as mentions,
        sum(articles)                  as articles
    from title_mentions_daily
    group by title_entity_id, date_trunc('week', day)
)
select
    w.*,
    w.mentions - coalesce(lag(w.mentions) over (partition by w.title_entity_id order by w.week), 0) as change_on_previous_week
from weekly w
