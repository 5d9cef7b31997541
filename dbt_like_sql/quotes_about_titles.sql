-- Who said what about which title, and where: one row per quote and title it is about.
select
    q.quote_id,
    t.name                as title,
    qt.title_entity_id,
    q.speaker,
    q.speaker_entity_id,
    q.text                as quote,
    q.kind,
    q.is_partial,
    qt.link               as how_linked,
    a.published_date,
    a.site,
    a.url,
    a.title               as headline,
    a.article_id,
    a.duplicate_of is not null as is_syndicated_copy
from quotes q
join quote_titles qt using (quote_id)
join entities t on t.entity_id = qt.title_entity_id
join articles a on a.article_id = q.article_id
