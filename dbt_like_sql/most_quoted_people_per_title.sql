-- For each title, the people quoted about it, most quoted first.
-- Grouped by entity ids only, with the names read from `entities`: a quote row keeps the
-- speaker's name as it was when the quote was extracted, and two spellings of one person's
-- name (an entity renamed after a later article) must not split the person into two rows.
with person_quotes as (
    select qat.title_entity_id, qat.speaker_entity_id, qat.quote_id, qat.article_id
    from quotes_about_titles qat
    join entities s on s.entity_id = qat.speaker_entity_id
    where s.entity_type = 'PERSON' and not qat.is_syndicated_copy
),
counted as (
    select
        title_entity_id,
        speaker_entity_id          as person_entity_id,
        count(distinct quote_id)   as quotes,
        count(distinct article_id) as articles
    from person_quotes
    group by title_entity_id, speaker_entity_id
)
select
    c.title_entity_id,
    t.name as title,
    c.person_entity_id,
    p.name as person,
    c.quotes,
    c.articles,
    rank() over (partition by c.title_entity_id order by c.quotes desc) as rank_for_title
from counted c
join entities t on t.entity_id = c.title_entity_id
join entities p on p.entity_id = c.person_entity_id
