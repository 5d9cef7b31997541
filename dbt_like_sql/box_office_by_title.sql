-- Box office per title, kind of figure and territory: the latest figure reported and the best, each
-- with the article that reported it, from original articles (a syndicated copy repeats its original).
with figures as (
    select ev.title_entity_id, ev.amount_kind, coalesce(ev.territory, '') as territory, ev.currency, ev.amount,
           ev.event_date, ev.org_entity_id, ev.article_id, ev.evidence_start, a.published_date, a.url, a.site
    from events ev
    join articles a using (article_id)
    where ev.kind = 'box_office' and ev.amount is not null and ev.title_entity_id is not null
      and a.duplicate_of is null
)
select
    f.title_entity_id,
    t.name                                                                             as title,
    f.amount_kind,
    nullif(f.territory, '')                                                            as territory,
    f.currency,
    -- latest: the latest dated article (undated ones only when none is dated); ties by amount, then id
    arg_max(f.amount, (f.published_date is not null, f.published_date, f.amount, f.article_id)) as latest_amount,
    max(f.published_date)                                                              as latest_published_date,
    arg_max(f.article_id, (f.published_date is not null, f.published_date, f.amount, f.article_id)) as latest_article_id,
    arg_max(f.url, (f.published_date is not null, f.published_date, f.amount, f.article_id)) as latest_url,
    max(f.amount)                                                                      as best_amount,
    arg_max(f.article_id, (f.amount, f.published_date is not null, f.published_date, f.article_id)) as best_article_id,
    arg_max(f.url, (f.amount, f.published_date is not null, f.published_date, f.article_id)) as best_url,
    max(f.event_date) filter (where f.amount_kind = 'opening_weekend')                 as opening_weekend_of,
    coalesce(list_sort(list_distinct(list(o.name) filter (where o.name is not null))), []) as studios,
    count(distinct f.article_id)                                                       as articles
from figures f
join entities t on t.entity_id = f.title_entity_id
left join entities o on o.entity_id = f.org_entity_id
group by f.title_entity_id, t.name, f.amount_kind, f.territory, f.currency
