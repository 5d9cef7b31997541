-- For each title, the people quoted about it, most quoted first.
with person_quotes as (
    select qat.title_entity_id, qat.title, qat.speaker_entity_id, qat.speaker, qat.quote_id, qat.article_id
    from quotes_about_titles qat
    join entities s on s.entity_id = qat.speaker_entity_id
    where s.entity_type = 'PERSON'
)
select
    title_entity_id,
    title,
    speaker_entity_id as person_entity_id,
    speaker           as person,
    count(distinct quote_id)   as quotes,
    count(distinct article_id) as articles,
    rank() over (partition by title_entity_id order by count(distinct quote_id) desc) as rank_for_title
from person_quotes
group by title_entity_id, title, speaker_entity_id, speaker
