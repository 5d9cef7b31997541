-- Who joined or left each title's cast, from original articles: one row per title and person, with
-- the newest report's status and part, and the studios the title's events name.
with reports as (
    select ev.title_entity_id, ev.person_entity_id, ev.role, ev.status, ev.certainty, ev.article_id,
           ev.evidence_start, a.published_date, a.url
    from events ev
    join articles a using (article_id)
    where ev.kind = 'casting' and ev.title_entity_id is not null and ev.person_entity_id is not null
      and a.duplicate_of is null
),
title_studios as (
    select ev.title_entity_id, list_sort(list_distinct(list(o.name))) as studios
    from events ev join entities o on o.entity_id = ev.org_entity_id
    where ev.title_entity_id is not null
    group by ev.title_entity_id
)
select
    r.title_entity_id,
    t.name                                                                          as title,
    r.person_entity_id,
    p.name                                                                          as person,
    -- the latest dated report (undated ones only when none is dated), then its place and id: one answer
    arg_max(r.role, (r.role is not null, r.published_date is not null, r.published_date, r.evidence_start, r.article_id)) as role,
    arg_max(r.status, (r.published_date is not null, r.published_date, r.evidence_start, r.article_id)) as status,
    arg_max(r.certainty, (r.published_date is not null, r.published_date, r.evidence_start, r.article_id)) as certainty,
    min(r.published_date)                                                           as first_reported,
    max(r.published_date)                                                           as last_reported,
    arg_max(r.article_id, (r.published_date is not null, r.published_date, r.evidence_start, r.article_id)) as article_id,
    arg_max(r.url, (r.published_date is not null, r.published_date, r.evidence_start, r.article_id)) as url,
    coalesce(any_value(s.studios), [])                                              as studios,
    count(distinct r.article_id)::integer                                           as articles
from reports r
join entities t on t.entity_id = r.title_entity_id
join entities p on p.entity_id = r.person_entity_id
left join title_studios s on s.title_entity_id = r.title_entity_id
group by r.title_entity_id, t.name, r.person_entity_id, p.name
