-- The trend of each title: mentions and articles per ISO week (Monday to Sunday), syndicated
-- copies left out, with the change on the calendar week before. A week without mentions has no
-- row, so that week is joined by date (it counts 0), not taken as the title's previous row.
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
    w.mentions - coalesce(prior_week.mentions, 0) as change_on_previous_week
from weekly w
left join weekly prior_week
       on prior_week.title_entity_id = w.title_entity_id
      and prior_week.week = (w.week - interval 7 day)::date
