"""How search reads text: Korean and English words become the terms `concepts.search` indexes.

Latin words are lower-cased, British spelling folded and Snowball-stemmed (PyStemmer); Korean
words go through one of `KOREAN_TOKENIZERS` (Kiwi's morphemes, or particle stripping and
character bigrams). Interview phrasing and chat filler are dropped; words that ask for an
aspect ("downsides", "문제점") are kept but weigh little (`ASPECT_TERMS`).
"""

from __future__ import annotations

import functools
import re
import unicodedata

import Stemmer

from concepts.search.morphology import kiwi_tokens

#: words that ask for an aspect of a topic rather than name one ("the downsides of ReLU"):
#: kept for ranking, but they weigh little in coverage and in the covered decision
ASPECT_WORDS = """
downside downsides drawback drawbacks disadvantage disadvantages advantage advantages benefit benefits pros cons
problem problems issue issues limitation limitations weakness weaknesses strength strengths tradeoff tradeoffs
prevent avoid fix solve solution solutions cause causes reason reasons
""".split()
ASPECT_WORDS_KO = frozenset("문제 문제점 한계 한계점 원인 장단점 단점 장점 해결 방지 예방 극복 점".split())
ASPECT_WEIGHT = 0.25

RUN = re.compile(r"[a-z]+[0-9]*[a-z]*|[0-9]+(?:\.[0-9]+)?|[\uac00-\ud7a3]+")
_CLOSING = ")]}\"'’”"
_BRITISH = re.compile(r"is(e|ed|es|ing|ation|ations)$")
_IZE = re.compile(r"iz(e|ed|es|ing|ation|ations|er|ers)$")

# Interview phrasing that carries no topic: "what is", "explain", "설명해 주세요", "차이".
STOPWORDS_EN = frozenset("""
a about above after again against all also am an and any are as at be because been before being below between
both but by can could did do does doing don down during each few for from further had has have having he her here
how i if in into is it its itself just me more most my no nor not now of off on once only or other our out over own
same she should so some such than that the their them then there these they this those through to too under until
up very was we were what when where which while who whom why will with would you your vs versus etc eg ie
explain describe difference differences different tell mean means meaning use used uses using work works working
happen happens happened get gets good better best way ways thing things example examples give say talk know need
honestly basically actually really just quick quickly question questions interview interviewer please everyone anyone someone
like im i'm new simple simply briefly short kind sort pretty much lot lots always usually these days nowadays stuff
walk through go over going want wanted okay ok hey hi thanks would could might should
interviews keep keeps hear hearing heard got ask asked asking said blanked besides except apart
bad go goes went beginner intuition intuitively analogy answer answering interviewers recruiter
""".split())
STOPWORDS_KO = frozenset("""
무엇 무엇인가 무엇인가요 뭔가요 뭐예요 뭐에요 뭐야 뭘 뭐 어떻게 어떤 왜 언제 어디 설명 설명해 설명하세요 설명해주세요
주세요 말해 말해보세요 대해 대해서 관해 차이 차이점 차이는 이유 이유는 방법 그리고 또는 혹은 하는 하나요 인가요
있나요 되나요 되는 있는 없는 합니다 입니다 나요 경우 때 것 수 등 및 좀 그 이 저 같은 무슨 뜻 의미 보세요 해요
하 되 해 한 할 된 있 없 보 주 말 쓰 써 종류 해결책 해결법 대처 대처법 방안 딥러닝
요즘 면접 면접관 혹시 솔직히 정확히 진짜 그냥 많이 자주 계속 쉽게 간단히 간단하게 질문 대비 대비용 정리 알려 궁금 답변
물어 물어봐 물어보면 나오 나오면 얘기 이야기 좀 제발 다들 보통 요새 설명한다면 한다면 뭐라고 어떻게들 주실 주시
직관 직관적 비유 일상 예시 전공자 비전공자 팁 추천 적당 매번 예전 준비 몇 법 감 초보 초보자 입문자 헷갈
포인트 핵심 짧게 대답 답 감사 그림 부탁 전반 모음 조언 실무 위주 말문 깔끔 한마디 문장 예상
""".split())
#: particles and verb endings glued to a word ("ReLU를", "기울기가", "초기화하면"), longest first
SUFFIXES = tuple(sorted(set("""
에서는 에서의 으로는 으로서 으로써 이라는 이라고 이란 라는 라고 에게 에는 에도 와의 과의 와는 과는 보다 처럼 까지 부터
에서 으로 이나 이면 하고 이며 이고 에 의 을 를 은 는 이 가 와 과 도 만 로 란 나 면
하나요 되나요 인가요 있나요 없나요 할까요 일까요 했나요 하세요 하는지 되는지 인지 는지 나요 가요 까요 아요 어요 해요 세요
예요 에요 돼요 려면 으면 하면 나면 되면 해야 하는 되는 하며 한다 된다 합니다 입니다 습니다 하게 되게 하여 해서 되어
하기 되기 하지 이다 해 한 된
""".split()), key=len, reverse=True))
PARTICLES = frozenset("에서 으로 이나 이면 이란 에 의 을 를 은 는 이 가 와 과 도 만 로 란 나 면 보다 처럼 와의 과의 에는".split())
_stemmer = Stemmer.Stemmer("english")


#: "He initialization" is named after Kaiming He: "he" is a stop word anywhere else
_HE_INIT = re.compile(r"\bhe(?=[\s_-]*(?:초기|init|normal|uniform|가중치|weight|et al))")


def normalize(text: str) -> str:
    return _HE_INIT.sub("kaiming", unicodedata.normalize("NFKC", text).casefold())


_SUFFIX_SET = frozenset(SUFFIXES)
_SUFFIX_LENGTHS = sorted({len(s) for s in SUFFIXES}, reverse=True)


HANGUL = re.compile(r"[\uac00-\ud7a3]+")


def jamo(word: str) -> str:
    """A Korean word as its letters: "법" -> "ㅂㅓㅂ" (canonical decomposition)."""
    return unicodedata.normalize("NFD", word)


def strip_suffix(word: str) -> str:
    """"초기화하면" -> "초기화", "층을" -> "층": the longest suffix, never the whole word."""
    for length in _SUFFIX_LENGTHS:
        if len(word) > length and word[-length:] in _SUFFIX_SET:
            return word[:-length]
    return word


#: Korean tokenizers `Config.korean` chooses between (bench/search_eval.py --korean compares them):
#: "bigram": the hand-written particle and ending stripping above, then character bigrams;
#: "kiwi": Kiwi's morphological analysis (kiwipiepy), its content morphemes as terms;
#: "kiwi-bigram": Kiwi finds each word's stem (particles and endings cut where the grammar
#: says), which then becomes character bigrams as in "bigram", so compounds split differently
#: ("경사하강법", "경사 하강법") still meet.
KOREAN_TOKENIZERS = ("bigram", "kiwi", "kiwi-bigram")
#: Kiwi's tags for the morphemes that carry a topic: nouns, roots, foreign and Chinese
#: characters, numbers, verb and adjective stems, and the noun suffixes glued to a stem (초기+화)
_KIWI_CONTENT = frozenset("NNG NNP NR XR SL SH SN VV VA VV-I VA-I VV-R VA-R XSN".split())
#: stems of verbs and adjectives that carry no topic in an interview question
_KIWI_FILLER = frozenset("""
하 되 있 없 이 아니 같 보 주 알 알리 말하 쓰 나오 좋 많 쉽 어렵 싶 궁금하 가 오 받 들 생기 나 만들 모르 다르 그렇 어떻 묻 물어보
걸 이렇 저렇 그러 이러 아시 계시 아 찾 정하 내려오 준비하 헷갈리 외우 이해하 듣 들리 답하 막히 괜찮 짚 먹히 들어보 감사하
""".split())
def _bigrams(word: str) -> tuple[str, ...]:
    if word in STOPWORDS_KO or not word:
        return ()
    if len(word) == 1 or word in ASPECT_WORDS_KO:
        return (word,)  # an aspect word stays whole, to weigh little as one term
    return tuple(word[i:i + 2] for i in range(len(word) - 1))


def _kiwi_stems(word: str) -> list[str]:
    """The content of one Korean word by Kiwi: runs of adjacent content morphemes joined
    ("초기화하면" -> ["초기화"], "기울기소실" -> ["기울기소실"]), fillers and stopwords left out."""
    stems, current = [], ""
    for form, tag, _start, _length in kiwi_tokens(word):
        if tag in _KIWI_CONTENT and not (tag.startswith(("VV", "VA")) and form in _KIWI_FILLER):
            if tag.startswith(("VV", "VA")):  # a verb stem ends a run: "사라지" + "는"
                if current:
                    stems.append(current)
                stems.append(form)
                current = ""
            else:
                current += form
        elif current:
            stems.append(current)
            current = ""
    if current:
        stems.append(current)
    return [s for s in stems if s not in STOPWORDS_KO]


#: noun suffixes that make a term of their own: 학습+률 (learning rate) is not 학습 (learning), 가중+치 (weight)
#: is not 가중; other suffixes (-화, -성, -적) are dropped, so that 정규화 and 정규 still meet
_KIWI_TERM_SUFFIXES = frozenset("률 율 치".split())


def _kiwi_morphemes(word: str) -> tuple[str, ...]:
    """The content morphemes of one Korean word by Kiwi, each a term, with a term-making suffix kept
    on its stem ("학습률은" -> 학습률); fillers and stopwords left out."""
    forms: list[str] = []
    last_end = -1
    for form, tag, start, length in kiwi_tokens(word):
        if tag == "XSN":
            if form in _KIWI_TERM_SUFFIXES and forms and start == last_end:
                forms[-1] += form
        elif tag in _KIWI_CONTENT and form not in _KIWI_FILLER and form not in STOPWORDS_KO:
            forms.append(form)
        last_end = start + length
    return tuple(forms)


@functools.lru_cache(maxsize=65536)
def _hangul(word: str, korean: str = "bigram") -> tuple[str, ...]:
    if word in STOPWORDS_KO:
        return ()
    if korean == "bigram":
        return _bigrams(strip_suffix(word))
    if korean == "kiwi":
        return _kiwi_morphemes(word)
    if korean == "kiwi-bigram":
        return tuple(b for stem in _kiwi_stems(word) for b in _bigrams(stem))
    raise ValueError(f"unknown Korean tokenizer {korean!r}: one of {', '.join(KOREAN_TOKENIZERS)}")


@functools.lru_cache(maxsize=65536)
def _latin(word: str) -> str:
    """One Latin word as indexed: British spelling folded to American, then Snowball's stem,
    except that "-ize" words keep their "-iz" ("normalization" -> "normaliz", not "normal":
    batch normalization is not the normal distribution)."""
    if len(word) > 5:
        word = _BRITISH.sub(r"iz\1", word)
        match = _IZE.search(word)
        if match:
            return word[: match.start() + 2]
    return _stemmer.stemWord(word)


def _runs(text: str):
    """(kind, run) per script run: "ReLU를" -> ("latin", "relu"); a particle glued to a Latin
    word or a number ("ReLU를", "0으로") is dropped."""
    glue_end = -1  # where the last Latin word or number ended (closing brackets and quotes included)
    text = normalize(text)
    for match in RUN.finditer(text):
        run = match.group()
        if run[0] >= "\uac00":
            glued = match.start() == glue_end or (glue_end >= 0 and not text[glue_end:match.start()].strip(_CLOSING))
            if not (glued and run in PARTICLES):
                yield "hangul", run
        else:
            yield ("number" if run[0].isdigit() else "latin"), run
            glue_end = match.end()


def analyze(text: str, korean: str = "bigram") -> tuple[list[str], list[str]]:
    """(terms, pairs) of a text. Terms: stemmed Latin words and Korean bigrams (what coverage
    counts); pairs: adjacent Latin words joined ("cross entropy" -> "crossentropy"), which
    only add to the BM25 score, so that "mini-batch", "mini batch" and "minibatch" all meet."""
    terms: list[str] = []
    pairs: list[str] = []
    previous = None
    for kind, run in _runs(text):
        if kind == "hangul":
            terms += _hangul(run, korean)
            previous = None
        elif kind == "number":
            terms.append(run)
            previous = None
        elif run in STOPWORDS_EN or len(run) == 1:
            previous = None
        else:
            terms.append(_latin(run))
            if previous is not None:
                pairs.append(_latin(previous + run))
            previous = run
    return terms, pairs


def vocabulary(text: str, korean: str = "bigram") -> tuple[set[str], set[str]]:
    """(terms, raw Latin words) a text uses, as sets: `analyze` for texts only counted, faster."""
    terms, words = set(), set()
    for run in set(RUN.findall(normalize(text))):
        if run[0] >= "\uac00":
            terms.update(_hangul(run, korean))
        elif run[0].isdigit():
            terms.add(run)
        elif run not in STOPWORDS_EN and len(run) > 1:
            terms.add(_latin(run))
            words.add(run)
    return terms, words


def tokens(text: str, korean: str = "bigram") -> list[str]:
    terms, pairs = analyze(text, korean)
    return terms + pairs


def latin_words(text: str) -> list[str]:
    """The raw Latin words of a text (no stemming), for typo correction."""
    return [run for kind, run in _runs(text) if kind == "latin" and run not in STOPWORDS_EN and len(run) > 1]


def trigrams(text: str) -> list[str]:
    """Character trigrams of each Latin word, padded ("relu" -> " re", "rel", "elu", "lu ")."""
    out = []
    for word in latin_words(text):
        if len(word) > 2:
            padded = f" {word} "
            out += [padded[i:i + 3] for i in range(len(padded) - 2)]
    return out


#: ... as Latin stems, and as the Korean words and bigrams every Korean tokenizer makes of them
ASPECT_TERMS = frozenset(_latin(w) for w in ASPECT_WORDS) | ASPECT_WORDS_KO
