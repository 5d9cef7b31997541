"""Domain knowledge as data: the words film news is written with.

Each list says where it comes from. The recognizers in ``entities`` (and
the quote stage after it) read these; nothing here names a real film or person.
"""

from __future__ import annotations

# Words English title case leaves lower-case (Chicago Manual of Style, 8.159),
# plus the articles and prepositions of the languages film titles borrow most.
TITLE_MINOR_WORDS = frozenset(
    """a an the and but or nor for so yet as at by in of off on per to up via vs vs. with from into onto over
    de del la le les el los das der die und et du von van""".split()
)

# Headline furniture and section labels that sites put at the top of a story
# or between sections; capitalized like names, but never entities.
SECTION_LABELS = frozenset(
    s.casefold()
    for s in [
        "The Big Picture", "Key Takeaways", "Summary", "Highlights", "Related", "Related Stories", "Read More",
        "Read Next", "More", "Exclusive", "Breaking", "Breaking News", "Update", "Updated", "Trending", "Watch",
        "Advertisement", "Newsletter", "Subscribe", "Sign Up", "Editor's Note", "Editor’s Note", "Spoiler Alert",
        "Spoilers", "Opinion", "Analysis", "Review", "Interview", "Photos", "Video", "Podcast", "Live", "Recap",
    ]
)

# Words that open a sentence in capitals and are never a title on their own,
# even between quote marks: interjections and pronouns that start speech.
NOT_A_TITLE = frozenset(
    s.casefold()
    for s in """I I'm I’m We We're We’re He She They It It's It’s This That There Yes No Oh Well Okay OK Thanks
    Thank You Sure Absolutely Never Always Maybe Why What When Where Who How Look Listen Honestly
    Elsewhere Meanwhile However Still Also Later Instead Overall Separately Earlier Now Today Yesterday Tonight
    Finally Ultimately Indeed Previously Currently Recently Additionally Besides Plus Then""".split()
)

# Reporting verbs that attribute speech ("…," she said): a quoted span next
# to one is speech, not a title. From news style guides' attribution lists.
SPEECH_VERBS = frozenset(
    """said says say told tells tell added adds explained explains noted notes recalled recalls remarked remarks
    continued continues insisted insists admitted admits asked asks replied replies answered answers joked jokes
    laughed laughs wrote writes writing stated states declared declares echoed echoes shared shares revealed reveals
    teased teases confirmed confirms acknowledged acknowledges argued argues claimed claims conceded concedes
    explained observed observes offered offers quipped quips stressed stresses suggested suggests warned warns
    described describes called calls put puts saying adding explaining noting telling recalling
    shouted shouts yelled yells whispered whispers cried cries exclaimed exclaims wondered wonders pleaded pleads
    urged urges predicted predicts boasted boasts cautioned cautions countered counters responded responds
    recounted recounts mused muses sighed sighs protested protests vowed vows announced announces agreed agrees
    promised promises insisting warning asking""".split()
)

# Corporate words that make a capitalized name an organisation: studios,
# distributors, networks and the companies around them.
ORG_SUFFIXES = frozenset(
    """Films Pictures Studios Entertainment Media Productions Releasing Distribution
    Animation Network Networks Channel Television TV Records Music Group Inc Inc. LLC Ltd Ltd. Corp Corp. Co Co.
    Company Partners Capital Ventures Holdings Features Cinema Cinemas Theatres Theaters Press Publishing Games Comics
    Agency Foundation Academy Guild Association Institute Society Festival Awards Expo Convention Summit
    Research Securities Analytics Consulting Labs Insights Advisors Associates""".split()
)

# Phrases that put an outlet (an organisation) right after them: "in an
# interview with X", "told X", "X's own <reporter>", "according to X".
OUTLET_CUES_BEFORE = (
    "interview with", "interview to", "sources tell", "sources told", "tells", "tell", "reports from", "report from", "reporting by", "reported in", "speaking to", "speaking with", "talking to", "talking with", "told",
    "according to", "via", "reported by", "published by", "a report from", "a report by", "writing for",
    "wrote for", "writes for", "appearance on", "appeared on", "podcast",
)
OUTLET_CUES_AFTER = ("’s own", "'s own", " reported", " reports", " first reported", " has learned", " confirmed to")

# English diminutives newsrooms print inside quotes ("Jim watched it"), to the
# formal first name a byline or first mention uses. Common US/UK forms only.
NICKNAMES = {
    "jim": "james", "jimmy": "james", "jamie": "james", "bob": "robert", "bobby": "robert", "rob": "robert",
    "robbie": "robert", "bill": "william", "billy": "william", "will": "william", "liam": "william",
    "mike": "michael", "mikey": "michael", "tom": "thomas", "tommy": "thomas", "chris": "christopher",
    "dan": "daniel", "danny": "daniel", "dave": "david", "steve": "steven", "joe": "joseph", "joey": "joseph",
    "ben": "benjamin", "sam": "samuel", "alex": "alexander", "tony": "anthony", "nick": "nicholas",
    "matt": "matthew", "pat": "patrick", "rick": "richard", "dick": "richard", "rich": "richard", "ed": "edward",
    "eddie": "edward", "ted": "edward", "jon": "jonathan", "johnny": "john", "jack": "john", "greg": "gregory",
    "jeff": "jeffrey", "ken": "kenneth", "larry": "lawrence", "andy": "andrew", "drew": "andrew", "tim": "timothy",
    "pete": "peter", "phil": "philip", "ron": "ronald", "don": "donald", "doug": "douglas", "charlie": "charles",
    "chuck": "charles", "fred": "frederick", "frank": "francis", "harry": "harold", "hank": "henry",
    "liz": "elizabeth", "beth": "elizabeth", "betty": "elizabeth", "kate": "katherine", "katie": "katherine",
    "kathy": "katherine", "cathy": "catherine", "jen": "jennifer", "jenny": "jennifer", "sue": "susan",
    "suzy": "susan", "meg": "margaret", "maggie": "margaret", "peggy": "margaret", "becky": "rebecca",
    "abby": "abigail", "vicky": "victoria", "tori": "victoria", "mandy": "amanda", "sandy": "sandra",
    "debbie": "deborah", "patty": "patricia", "trish": "patricia", "nat": "natalie", "val": "valerie",
}

# Pronouns and role nouns used for people already named.
PERSON_PRONOUNS = frozenset("he him his she her hers they them their".split())

# Words after a name that make it an organisation ("a Streamline spokesperson").
ORG_CUES_AFTER = (
    " spokesperson", " spokeswoman", " spokesman", " representative", " rep ", " executives", " executive",
    " chief", " ceo", " chairman", " chairwoman", " president", " board", " shareholders", " stock", " shares",
    " has renewed", " renewed", " announced", " greenlit", " greenlights", " acquired", " acquires",
    " co-president", " co-presidents", " co-chair", " co-founder", " founder", " co-ceo", " acquiring", " bought",
    " picked up", " landed world rights", " landed rights",
)

# Nouns that introduce a title written without quotes or italics, as trade
# copy does: "the thriller Night Ferry", "her debut Glass Harbor".
TITLE_CUE_NOUNS = frozenset(
    """film films movie movies series show shows drama dramas thriller thrillers comedy comedies documentary
    documentaries feature features debut sequel prequel remake reboot novel book books franchise musical horror
    western adaptation miniseries sitcom blockbuster caper epic romance spinoff spin-off anthology biopic
    docuseries procedural podcast album co-production entry installment instalment manga anime memoir comic
    graphic-novel play opera telenovela videogame""".split()
)

# Jobs that stand before a person's name in film news ("artistic director
# Paola Ricci", "producer Jon Landau"), and that later stand for that person
# ("the producer said"). From trade-press style: credits, executives, press roles.
ROLE_NOUNS = frozenset(
    """director directors filmmaker filmmakers producer producers actor actors actress actresses star stars co-star
    costar writer writers screenwriter screenwriters showrunner showrunners creator creators composer composers
    editor cinematographer animator novelist author authors critic critics journalist reporter columnist analyst
    analysts executive executives chief ceo chairman chairwoman chair president founder co-founder head spokesperson
    spokeswoman spokesman publicist agent manager partner singer rapper musician comedian host presenter narrator
    model designer choreographer lawyer attorney historian programmer curator juror jury topper exec
    superintendent governor gov mayor senator sen congressman congresswoman councilman councilwoman councillor
    councilor commissioner secretary minister premier chancellor ambassador officer sheriff judge justice
    professor prof doctor dr coach principal teacher forecaster meteorologist researcher scientist economist
    spokesman trustee treasurer organizer organiser activist resident owner farmer nurse detective sergeant
    lieutenant colonel admiral pastor reverend rev bishop""".split()
)

# Job words that name the same part: someone introduced as the "star" is "the actress" later.
_ROLE_FAMILIES = (
    "actor actors actress actresses star stars co-star costar lead",
    "director directors filmmaker filmmakers helmer",
    "writer writers screenwriter screenwriters author authors novelist scribe",
    "producer producers exec executive executives chief ceo chairman chairwoman chair president head topper",
    "spokesperson spokeswoman spokesman representative rep",
)
_FAMILY_OF = {word: i for i, family in enumerate(_ROLE_FAMILIES) for word in family.split()}


def role_family(role: str) -> str:
    """The part a job word names, so "star" and "actress" match and "director" and "producer" do not."""
    role = role.casefold()
    return f"family{_FAMILY_OF[role]}" if role in _FAMILY_OF else role


# Awards and the ceremonies around them: named like people ("Oscar") or places,
# but none of this dataset's four types. Tagged by NER often enough to list.
AWARD_NAMES = frozenset(
    s.casefold()
    for s in [
        "Oscar", "Oscars", "Academy Award", "Academy Awards", "Emmy", "Emmys", "Golden Globe", "Golden Globes",
        "BAFTA", "BAFTAs", "Tony", "Tonys", "Grammy", "Grammys", "SAG", "SAG Award", "SAG Awards", "Palme d'Or",
        "Palme d’Or", "Golden Lion", "Golden Bear", "Critics Choice", "Critics Choice Awards", "Independent Spirit Awards",
    ]
)

# Forms of address that start a character's name, not a work's.
HONORIFIC_WORDS = frozenset("mr mrs ms miss dr sir dame lord lady captain capt general gen king queen prince princess agent detective officer professor uncle aunt saint st".split())

# Offices that end no person's name, so NER's "Charlotte Mayor" (before "Jennifer Roberts") is
# no person. Only words that are not also surnames: King, Lord, Singer, Marshal, Bishop are.
OFFICE_WORDS = frozenset(
    """mayor governor senator secretary minister chairman chairwoman president spokesman spokeswoman spokesperson
    ceo director producer attorney commissioner chancellor premier congressman congresswoman sheriff
    superintendent councilman councilwoman""".split()
)

# Nouns that stand for an organisation already named ("the studio said").
ORG_ROLE_NOUNS = frozenset(
    """studio company streamer network distributor broadcaster platform label agency firm chain exhibitor
    festival organisers organizers producers
    group fund organization organisation newspaper paper publication outlet magazine institute
    center centre foundation nonprofit charity bank""".split()
)

# Kinds of company that stand before a company's name ("streamer Corvid", "distributor Halden").
ORG_KIND_NOUNS = frozenset(
    "studio streamer network distributor broadcaster label publisher exhibitor chain firm company platform "
    "outlet newspaper magazine agency banner shingle service streamer".split()
)

# Public bodies a story names in full once and then by their noun ("the Ministry of
# Health" ... "the ministry said"): only the body whose name holds the noun speaks.
PUBLIC_BODY_NOUNS = frozenset(
    """ministry department government council commission authority police union federation board university
    hospital school museum court committee party office bureau agency regulator league club team""".split()
)

# Words for the people who speak for an organisation ("a Streamline spokesperson").
SPOKESPERSON_NOUNS = frozenset("spokesperson spokeswoman spokesman representative rep spokespeople statement".split())

# Days and months: capitalized like names, never the first word of a venue or a person's pair.
CALENDAR_WORDS = frozenset(
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August "
    "September October November December".split()
)
