-- What each outlet covers: volume, reach over titles and people, quotes, and time span.
-- Counts are over the outlet's original articles; the copies it carried are counted apart.
with per_article as (
    select
        a.article_id,
        coalesce(a.site, '(unknown site)') as site,
        a.published_date,
        a.word_count,
        a.duplicate_of is not null as is_copy
    from articles a
),
titles as (
    select m.article_id, count(distinct m.entity_id) filter (where e.entity_type = 'TITLE') as titles,
           count(distinct m.entity_id) filter (where e.entity_type = 'PERSON') as people
    from mentions m join entities e using (entity_id)
    group by m.article_id
),
quote_counts as (
    select article_id, count(*) as quotes from quotes where kind = 'direct' group by article_id
)
select
    p.site,
    count(*) filter (where not p.is_copy)                      as articles,
    count(*) filter (where p.is_copy)                          as syndicated_copies,
    coalesce(sum(p.word_count) filter (where not p.is_copy), 0) as words,
    coalesce(sum(t.titles) filter (where not p.is_copy), 0)    as title_mentions,
    coalesce(sum(t.people) filter (where not p.is_copy), 0)    as people_mentions,
    coalesce(sum(q.quotes) filter (where not p.is_copy), 0)    as quotes,
    min(p.published_date)                     as first_published,
    max(p.published_date)                     as last_published
from per_article p
left join titles t using (article_id)
left join quote_counts q using (article_id)
group by p.site
