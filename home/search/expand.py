"""From what someone typed to a search query: synonyms and misspellings.

The typed text is cut into words. A run of words that editors listed as a
synonym ("เน็ต", "ไลฟ์สด", "Wi-Fi") becomes "any of these words"; a word the
index does not hold is replaced by the nearest word it does hold, and the page
says so ("ค้นหา … แทน"). Synonyms are read from the database on every search,
so an editor's change applies to the next search, in every process.
"""

from dataclasses import dataclass, field
from functools import lru_cache

from wagtail.search.query import And, Or, PlainText

from home.search import vocabulary
from home.search.models import Synonym
from home.search.text import MAX_QUERY_LENGTH, MAX_QUERY_WORDS, plain_query, segment, word_key

#: The longest run of segmented words looked up as one synonym ("ไลฟ์" + "สด").
MAX_SYNONYM_SPAN = 4
SYNONYM = "synonym"
SPELLING = "spelling"


@lru_cache(maxsize=2048)
def _segmented(text):
    return tuple(segment(text).lower().split())


def _join(tokens):
    """Words back as typed: Thai runs together, other words with a space."""
    text = ""
    for token in tokens:
        if text and not (_is_thai(text[-1]) and _is_thai(token[0])):
            text += " "
        text += token
    return text


def _is_thai(char):
    return "\u0e00" <= char <= "\u0e7f"


@dataclass
class Group:
    """One thing the person asked for, and the words that may stand for it."""

    typed: str
    words: list = field(default_factory=list)
    via: str = ""

    def query(self):
        parts, seen = [], set()
        for word in self.words:
            tokens = _segmented(word)
            if tokens and tokens not in seen:
                seen.add(tokens)
                parts.append(PlainText(" ".join(tokens), operator="and"))
        return parts[0] if len(parts) == 1 else Or(parts)

    @property
    def shown(self):
        return self.words[0] if self.via == SPELLING else self.typed


@dataclass
class Expansion:
    groups: list
    truncated: bool = False
    chunks: list = field(default_factory=list, repr=False)
    text: str = ""

    def spelled_right(self):
        """This expansion with words the index does not hold replaced by the nearest it does."""
        groups = _correct(self.groups, self.chunks, self.text)
        if len(groups) > MAX_QUERY_WORDS:
            groups = groups[:MAX_QUERY_WORDS]
        return Expansion(groups, self.truncated, [], self.text)

    def __bool__(self):
        return bool(self.groups)

    def query(self, every_word=True):
        """Every group (or any, with ``every_word=False``); plain one-word groups are
        searched as one PlainText, as Wagtail would search the words typed."""
        single, parts = [], []
        for group in self.groups:
            tokens = _segmented(group.words[0]) if len(group.words) == 1 else ()
            if len(tokens) == 1:
                single.append(tokens[0])
            else:
                parts.append(group.query())
        if single:
            parts.insert(0, PlainText(" ".join(single), operator="and" if every_word else "or"))
        if len(parts) == 1:
            return parts[0]
        return And(parts) if every_word else Or(parts)

    @property
    def corrected(self):
        return any(group.via == SPELLING for group in self.groups)

    @property
    def synonyms_used(self):
        return any(group.via == SYNONYM for group in self.groups)

    @property
    def shown_query(self):
        """The query as searched, for "ค้นหา … แทน"."""
        return _join([group.shown for group in self.groups])

    def highlight_words(self):
        words = []
        for group in self.groups:
            words.append(group.typed)
            words.extend(group.words)
            for word in group.words:
                words.extend(_segmented(word))
        return [w for w in words if w]


SYNONYMS_CACHE_KEY = "search:synonyms"


def synonym_map():
    """{word key: [words it means]} as editors keep them now.

    ``Synonym.save`` stores the words cleaned and joined by ", ". The map is
    kept in the cache every web process shares (Redis, or the page cache's
    folder) and dropped whenever a synonym is saved or deleted
    (``forget_synonyms``), so a change applies to the next search at once.
    """
    from django.core.cache import caches

    cache = caches["pages"]
    cached = cache.get(SYNONYMS_CACHE_KEY)
    if cached is None:
        cached = {
            key: [word for word in means.split(", ") if word]
            for key, means in Synonym.objects.values_list("key", "means")
        }
        cache.set(SYNONYMS_CACHE_KEY, cached, timeout=None)
    return cached


def forget_synonyms(**_kwargs):
    """Receiver of Synonym's post_save and post_delete."""
    from django.core.cache import caches

    caches["pages"].delete(SYNONYMS_CACHE_KEY)


def _tokens(text):
    """[(chunk number, token)] of the words typed, chunk = a run without spaces."""
    tokens = []
    for number, chunk in enumerate(text.split(" ")):
        for token in segment(chunk).split(" "):
            if word_key(token):
                tokens.append((number, token))
    return tokens[: MAX_QUERY_WORDS * 2]


def expand(raw, correct=True):
    """The Expansion of a typed query; ``correct=False`` keeps every word as typed."""
    text = plain_query(raw)
    truncated = len(text) > MAX_QUERY_LENGTH
    text = text[:MAX_QUERY_LENGTH]
    tokens = _tokens(text)
    synonyms = synonym_map() if tokens else {}

    groups, chunks, i = [], [], 0
    while i < len(tokens):
        for j in range(min(len(tokens), i + MAX_SYNONYM_SPAN), i, -1):
            span = tokens[i:j]
            key = word_key("".join(token for _n, token in span))
            if key in synonyms:
                typed = _join([token for _n, token in span])
                groups.append(Group(typed, [typed, *synonyms[key]], SYNONYM))
                chunks.append(span[0][0])
                i = j
                break
        else:
            number, token = tokens[i]
            groups.append(Group(token, [token]))
            chunks.append(number)
            i += 1
    if len(groups) > MAX_QUERY_WORDS:
        groups, chunks, truncated = groups[:MAX_QUERY_WORDS], chunks[:MAX_QUERY_WORDS], True
    expansion = Expansion(groups, truncated, chunks, text)
    return expansion.spelled_right() if correct else expansion


def _correct(groups, chunks, text):
    """Replace words the index does not hold by the nearest words it does."""
    plain = [g for g in groups if not g.via]
    if not plain:
        return groups
    held = vocabulary.known(g.typed for g in plain)
    unknown = [not g.via and g.typed.lower() not in held for g in groups]
    if not any(unknown):
        return groups
    # A chunk typed without spaces whose words are not all known: is it one
    # misspelled word ("คอมพิวเตอ" cut into "คอม พิว เต อ")?
    fixed, i = [], 0
    pieces = text.split(" ")
    while i < len(groups):
        chunk = chunks[i]
        j = i
        while j < len(groups) and chunks[j] == chunk:
            j += 1
        if any(unknown[i:j]) and j - i > 1:
            near = vocabulary.nearest(pieces[chunk], limit=1, cutoff=vocabulary.CHUNK_SCORE)
            if near:
                fixed.append(Group(pieces[chunk], [near[0][0]], SPELLING))
                i = j
                continue
        # Runs of unknown words inside the chunk, matched as one word.
        k = i
        while k < j:
            if not unknown[k]:
                fixed.append(groups[k])
                k += 1
                continue
            end = k
            while end < j and unknown[end]:
                end += 1
            typed = _join([g.typed for g in groups[k:end]])
            near = vocabulary.nearest(typed, limit=2)
            if near:
                fixed.append(Group(typed, [word for word, _score in near], SPELLING))
            else:
                fixed.extend(g for g in groups[k:end] if len(word_key(g.typed)) > 1)
            k = end
        i = j
    return fixed
