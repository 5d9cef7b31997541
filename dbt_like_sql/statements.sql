-- What a person said, whole: the direct quotes an article splits around its attribution
-- ("…," she said. "…") or runs on over paragraphs, joined into one statement.
-- Parts join when they follow each other in one article with the same speaker and little
-- between them (an attribution, a paragraph break); `quotes` keeps the parts.
with direct as (
    select
        q.*,
        lag(q.end_char) over parts as previous_end,
        lag(coalesce(q.speaker_entity_id, q.speaker)) over parts as previous_speaker
    from quotes q
    where q.kind = 'direct' and q.parent_quote_id is null
    window parts as (partition by q.article_id order by q.start_char)
),
marked as (
    select
        d.*,
        case when d.previous_end is not null
                  and coalesce(d.speaker_entity_id, d.speaker) = d.previous_speaker
                  and d.start_char - d.previous_end <= 120
             then 0 else 1 end as starts_statement
    from direct d
),
numbered as (
    select m.*, sum(m.starts_statement) over (partition by m.article_id order by m.start_char
                                              rows between unbounded preceding and current row) as statement_number
    from marked m
),
grouped as (
    select
        article_id,
        statement_number,
        arg_min(quote_id, start_char)                      as statement_id,
        any_value(speaker)                                 as speaker,
        any_value(speaker_entity_id)                       as speaker_entity_id,
        arg_min(cue, start_char)                           as cue,
        string_agg(text, ' ' order by start_char)          as text,
        count(*)                                           as parts,
        list(quote_id order by start_char)                 as part_quote_ids,
        list([start_char, end_char] order by start_char)   as part_offsets,
        min(start_char)                                    as start_char,
        max(end_char)                                      as end_char
    from numbered
    group by article_id, statement_number
),
statement_titles as (
    -- the titles any part is about (quote_titles), by name and id; joined on each part's id
    select n.article_id, n.statement_number,
           list(distinct t.name order by t.name)           as titles,
           list(distinct t.entity_id order by t.entity_id) as title_entity_ids
    from numbered n
    join quote_titles qt on qt.quote_id = n.quote_id
    join entities t on t.entity_id = qt.title_entity_id
    group by n.article_id, n.statement_number
)
select
    s.statement_id,
    s.article_id,
    s.speaker,
    s.speaker_entity_id,
    s.cue,
    s.text,
    s.parts,
    s.part_quote_ids,
    s.part_offsets,
    s.start_char,
    s.end_char,
    coalesce(st.titles, [])            as titles,
    coalesce(st.title_entity_ids, [])  as title_entity_ids,
    a.published_date,
    a.site,
    a.url,
    a.title                      as headline,
    a.duplicate_of is not null   as is_syndicated_copy
from grouped s
join articles a on a.article_id = s.article_id
left join statement_titles st on st.article_id = s.article_id and st.statement_number = s.statement_number
