-- Each title's current release date per territory, from the newest original article that gives one,
-- with every date reported before it: a date moved three times is one row with a history of four.
with reports as (
    select ev.title_entity_id, coalesce(ev.territory, '') as territory, ev.event_date, ev.date_precision,
           ev.status, ev.certainty, ev.org_entity_id, ev.article_id, ev.evidence_start, a.published_date, a.url, a.site
    from events ev
    join articles a using (article_id)
    where ev.kind = 'release_date' and ev.title_entity_id is not null and a.duplicate_of is null
      and (ev.event_date is not null or ev.status = 'delayed')
),
ranked as (
    select *, row_number() over (partition by title_entity_id, territory
                                 order by published_date desc nulls last, article_id desc, evidence_start desc) as newest
    from reports
)
select
    r.title_entity_id,
    t.name                                                                         as title,
    nullif(r.territory, '')                                                        as territory,
    any_value(r.event_date) filter (where r.newest = 1)                            as release_date,
    any_value(r.date_precision) filter (where r.newest = 1)                        as date_precision,
    any_value(r.status) filter (where r.newest = 1)                                as status,
    any_value(r.certainty) filter (where r.newest = 1)                             as certainty,
    any_value(o.name) filter (where r.newest = 1)                                  as released_by,
    any_value(r.published_date) filter (where r.newest = 1)                        as reported_on,
    any_value(r.article_id) filter (where r.newest = 1)                            as article_id,
    any_value(r.url) filter (where r.newest = 1)                                   as url,
    count(distinct r.event_date)::integer                                          as dates_reported,
    count(*) filter (where r.status in ('moved', 'delayed', 'moved_up'))::integer  as changes,
    list({'reported_on': r.published_date, 'release_date': r.event_date, 'date_precision': r.date_precision,
          'status': r.status, 'site': r.site, 'article_id': r.article_id}
         order by r.published_date nulls first, r.article_id, r.evidence_start)    as history
from ranked r
join entities t on t.entity_id = r.title_entity_id
left join entities o on o.entity_id = r.org_entity_id
group by r.title_entity_id, t.name, r.territory
