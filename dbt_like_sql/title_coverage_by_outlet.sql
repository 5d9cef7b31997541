-- Which outlets covered a title: per title and outlet, the articles naming it and the mentions,
-- originals and syndicated copies counted apart.
select
    e.entity_id                                                    as title_entity_id,
    e.name                                                         as title,
    coalesce(a.site, '(unknown site)')                             as site,
    count(distinct m.article_id) filter (where a.duplicate_of is null)     as articles,
    count(distinct m.article_id) filter (where a.duplicate_of is not null) as syndicated_copies,
    count(*) filter (where a.duplicate_of is null)                 as mentions,
    min(a.published_date)                                          as first_published,
    max(a.published_date)                                          as last_published
from mentions m
join entities e using (entity_id)
join articles a using (article_id)
where e.entity_type = 'TITLE'
group by all
