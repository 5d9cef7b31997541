-- Awards won and nominations per person, award and category, from original articles.
with reports as (
    select ev.person_entity_id, ev.title_entity_id, ev.award, coalesce(ev.category, '') as category, ev.status,
           ev.event_date, ev.article_id, a.published_date
    from events ev
    join articles a using (article_id)
    where ev.kind = 'award' and ev.person_entity_id is not null and a.duplicate_of is null
)
select
    r.person_entity_id,
    p.name                                                                  as person,
    r.award,
    nullif(r.category, '')                                                  as category,
    case when bool_or(r.status = 'won') then 'won' else 'nominated' end    as status,
    coalesce(list_sort(list_distinct(list(t.name) filter (where t.name is not null))), []) as titles,
    coalesce(year(max(r.event_date)), year(max(r.published_date)))          as year,
    min(r.published_date)                                                   as first_reported,
    -- the latest dated article (an undated one only when none is dated), then the id: one answer
    arg_max(r.article_id, (r.published_date is not null, r.published_date, r.article_id)) as article_id,
    count(distinct r.article_id)::integer                                   as articles
from reports r
join entities p on p.entity_id = r.person_entity_id
left join entities t on t.entity_id = r.title_entity_id
group by r.person_entity_id, p.name, r.award, r.category
