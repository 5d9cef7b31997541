-- Buzz: how often each title is named, per publication day. Syndicated copies
-- (articles.duplicate_of) are left out so a wire story re-posted by ten sites
-- counts once.
select
    e.entity_id                  as title_entity_id,
    e.name                       as title,
    a.published_date             as day,
    count(*)                     as mentions,
    count(distinct m.article_id) as articles
from mentions m
join entities e using (entity_id)
join articles a using (article_id)
where e.entity_type = 'TITLE'
  and a.published_date is not null
  and a.duplicate_of is null
group by all
