-- People and titles named in the same article: who is attached to what, by how much coverage.
with article_entities as (
    select distinct m.article_id, e.entity_id, e.name, e.entity_type
    from mentions m
    join entities e using (entity_id)
    join articles a using (article_id)
    where a.duplicate_of is null
)
select
    p.entity_id as person_entity_id,
    p.name      as person,
    t.entity_id as title_entity_id,
    t.name      as title,
    count(*)    as articles
from article_entities p
join article_entities t on t.article_id = p.article_id
where p.entity_type = 'PERSON' and t.entity_type = 'TITLE'
group by all
