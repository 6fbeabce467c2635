"""Words that never decide whether an article matches a reader's plain words.

Elasticsearch's ``english`` analyzer drops only 33 words ("the", "of", "is"...). Readers who
type whole questions ("how do I configure the network interface on debian") add pronouns,
auxiliaries and question words that it keeps, and that an article may well lack. These are
taken out of the words an article is *required* or *scored* on; they stay in phrases, in
"Exact matches only" and in the highlighter. Persian needs no list here: the ``persian``
analyzer of the ``.fa`` subfields drops its own function words (ها، های، و، در ...).

Two groups, each measured on the judged queries (docs/search.md, "Ranking"): function words,
and the request words people wrap a question in ("articles on", "I am interested in").
"""

from __future__ import annotations

FUNCTION_WORDS = frozenset("""
a about above after again against all almost also although always am among an and another any
anybody anyone anything anyway anywhere are aren't around as at be became because become becomes
been before being below between both but by can cannot can't could couldn't did didn't do does
doesn't doing don't done down during each either else enough etc even ever every everyone
everything except few for from further had hadn't has hasn't have haven't having he he'd he'll her
here hers herself him himself his how however i i'd i'll i'm i've ie eg if in into is isn't it it's
its itself just least less let's like likely many may maybe me might mine more most mostly much
must my myself neither never no nobody none nor not nothing now of off often on once one only or
other others otherwise ought our ours ourselves out over own particular particularly perhaps please
possibly quite rather really same several shall she should shouldn't since so some somebody
someone something sometimes somewhat such than that that's the their theirs them themselves then
there there's therefore these they they're this those though through thus to too toward towards
under until up upon us very via was wasn't we we're were weren't what what's whatever when whenever
where whereas whether which while who whoever whom whose why will with within without won't would
wouldn't yet you you'd you'll you're your yours yourself yourselves
""".split())

REQUEST_WORDS = frozenset("""
article articles paper papers interested find looking want wish discussion discussions
describe describes describing description descriptions
""".split())

QUERY_STOPWORDS = FUNCTION_WORDS | REQUEST_WORDS


def is_stopword(word: str) -> bool:
    return word.casefold().replace("\u2019", "'") in QUERY_STOPWORDS
