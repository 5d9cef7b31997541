-- Who is quoted most: per speaker, quotes and statements in original articles (syndicated
-- copies left out, so a wire story re-posted by ten sites counts once), and where.
with original_statements as (
    select speaker_entity_id, count(*) as statements
    from statements
    where not is_syndicated_copy and speaker_entity_id is not null
    group by speaker_entity_id
),
originals as (
    select q.*
    from quotes q
    join articles a using (article_id)
    where a.duplicate_of is null and q.speaker_entity_id is not null
)
select
    o.speaker_entity_id,
    e.name                                                   as speaker,
    e.entity_type                                            as speaker_type,
    count(*) filter (where o.kind = 'direct')                as direct_quotes,
    count(*) filter (where o.kind = 'indirect')              as reported_statements,
    count(distinct o.article_id)                             as articles,
    coalesce(any_value(st.statements), 0)                    as statements
from originals o
join entities e on e.entity_id = o.speaker_entity_id
left join original_statements st on st.speaker_entity_id = o.speaker_entity_id
group by o.speaker_entity_id, e.name, e.entity_type
