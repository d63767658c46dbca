"""主题分类: the national two-level topic list, as content data (content/_vocab/topics.yml).

A document's topic is written `一级\\二级` (综合政务\\政务公开), or the first level alone for a
category that has no second level (其他). The list's order is the catalogue's order, and a first
level's place in it (1–22) names its 公开目录 page, so the file is read as an ordered list:

    - 国务院组织机构                       a category without second levels
    - 综合政务: [政务公开, 政务督查, …]      a category and its second levels

The list is the content's, not the code's (one place per concept): a site without topics.yml has
free-text topics, unchecked, and its 公开目录 has no 主题分类 facet.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from ..primitives.problems import Problem
from ..primitives.text import identifier_key, without_format_characters

SEPARATOR = "\\"
# Separators editors type for 一级\二级 on Chinese keyboards and by habit: refused with the
# corrected value, so the file says exactly what the site shows.
LOOKALIKE_SEPARATORS = ("＼", "/", "／", "|", "｜", ">", "＞")
TOPICS_HINT = "write one category per line: '- 其他' or '- 综合政务: [政务公开, 政务督查]'"


@dataclass(frozen=True)
class TopicCategory:
    """A first-level category: its number in the national list, its name, its second levels."""

    number: int
    name: str
    subtopics: tuple[str, ...]

    def full_names(self) -> list[str]:
        """The values a document may write for it."""
        if not self.subtopics:
            return [self.name]
        return [f"{self.name}{SEPARATOR}{sub}" for sub in self.subtopics]


def topic_data_problems(data, positions: dict, display: str) -> list[Problem]:
    """Every entry of topics.yml that is not a category in the expected form, located: a name that
    is empty, not text, holds the separator or an invisible character, or repeats another (as a
    reader sees it: identifier_key); second levels likewise within their category."""
    if not isinstance(data, list) or not data:
        return [Problem(display, 1, 1, "", "topics.yml is not a list of categories", TOPICS_HINT)]
    problems: list[Problem] = []

    def check_name(value, where: tuple, seen: dict, what: str) -> None:
        line, column = positions.get(where, positions.get(where[:1], (1, 1)))
        field = ".".join(str(k) for k in where)
        if not (isinstance(value, str) and value.strip()) or SEPARATOR in value:
            shown = f"'{value}'" if isinstance(value, str) else repr(value)
            problems.append(Problem(display, line, column, field, f"{shown} cannot be a {what}",
                                    f"write the name as text, without '{SEPARATOR}'"))
        elif without_format_characters(value) != value:
            problems.append(Problem(display, line, column, field, f"the {what} '{value}' holds an invisible character",
                                    "retype the name"))
        elif identifier_key(value) in seen:
            problems.append(Problem(display, line, column, field,
                                    f"the {what} '{value}' is already listed ({seen[identifier_key(value)]})",
                                    "list each name once"))
        else:
            seen[identifier_key(value)] = f"entry {where[-1] + 1}"

    categories: dict[str, str] = {}
    for i, entry in enumerate(data):
        if isinstance(entry, dict) and len(entry) == 1:
            (name, subs), = entry.items()
        elif isinstance(entry, dict):
            line, column = positions.get((i,), (1, 1))
            problems.append(Problem(display, line, column, str(i), "an entry names one category", TOPICS_HINT))
            continue
        else:
            name, subs = entry, []
        check_name(name, (i,), categories, "category")
        if not isinstance(subs, list):
            line, column = positions.get((i, name), positions.get((i,), (1, 1)))
            problems.append(Problem(display, line, column, f"{i}.{name}",
                                    "the second levels are a list", TOPICS_HINT))
            continue
        seen: dict[str, str] = {}
        for j, sub in enumerate(subs):
            check_name(sub, (i, name, j), seen, "second level")
    return problems


class TopicList:
    """The topic list with the lookups pages and rules ask: is a topic valid, its category, its
    place in the national order."""

    def __init__(self, categories: list[TopicCategory]):
        self.categories = categories
        self._by_name = {c.name: c for c in categories}
        # Every valid value → (category, second level's index; 0 for a category without any).
        self._places: dict[str, tuple[TopicCategory, int]] = {}
        for category in categories:
            for i, full in enumerate(category.full_names()):
                self._places[full] = (category, i)
        # Second levels by name, for '政务公开' → 综合政务\政务公开; names shared by several
        # categories (其他) say nothing on their own and are left out.
        owners: dict[str, list[TopicCategory]] = {}
        for category in categories:
            for sub in category.subtopics:
                owners.setdefault(sub, []).append(category)
        self._second = {sub: f"{cs[0].name}{SEPARATOR}{sub}" for sub, cs in owners.items() if len(cs) == 1}

    @classmethod
    def from_data(cls, data: list) -> TopicList:
        """From topics.yml's YAML, already checked by is_topic_data."""
        categories = []
        for number, entry in enumerate(data, start=1):
            if isinstance(entry, dict):
                (name, subs), = entry.items()
            else:
                name, subs = entry, []
            categories.append(TopicCategory(number, name.strip(), tuple(s.strip() for s in subs)))
        return cls(categories)

    @property
    def names(self) -> list[str]:
        """Every valid topic, in the national order."""
        return list(self._places)

    def is_valid(self, topic: str) -> bool:
        return topic in self._places

    def category_of(self, topic: str) -> TopicCategory | None:
        """The first-level category of a valid topic."""
        place = self._places.get(topic)
        return place[0] if place else None

    def subtopic_of(self, topic: str) -> str | None:
        """The second level of a valid topic, or None for a category without any."""
        place = self._places.get(topic)
        return place[0].subtopics[place[1]] if place and place[0].subtopics else None

    def order(self, topic: str) -> tuple[int, int]:
        """The sort key of a topic in the national order; unknown topics go last."""
        place = self._places.get(topic)
        return (place[0].number, place[1]) if place else (len(self.categories) + 1, 0)

    def problem(self, topic: str) -> tuple[str, str] | None:
        """(message, hint) when a topic is not in the list, else None."""
        if topic in self._places:
            return None
        for mark in LOOKALIKE_SEPARATORS:
            corrected = topic.replace(mark, SEPARATOR)
            if corrected != topic and corrected.replace(" ", "") in self._places:
                corrected = corrected.replace(" ", "")
                return f"'{topic}' separates the levels with '{mark}'", f"write {corrected}"
        category = self._by_name.get(topic)
        if category is not None:
            return (f"'{topic}' is a first-level category: a document takes one of its second levels",
                    f"write {topic}{SEPARATOR} and one of: {'；'.join(category.subtopics)}")
        if topic in self._second:
            return f"'{topic}' is a second level without its category", f"write {self._second[topic]}"
        return f"'{topic}' is not a 主题分类 of content/_vocab/topics.yml", self._suggestion(topic)

    def _suggestion(self, topic: str) -> str:
        """The closest full name, second level or first level (then its second levels): the
        same matching as problems.did_you_mean, over the three kinds of name at once. A known
        first level with an unknown second level is matched within its category."""
        first, _, second = topic.partition(SEPARATOR)
        category = self._by_name.get(first)
        if second and category is not None:
            if not category.subtopics:
                return f"{first} has no second level: write {first}"
            match = difflib.get_close_matches(second, category.subtopics, n=1, cutoff=0.5)
            if match:
                return f"did you mean {first}{SEPARATOR}{match[0]}?"
            return f"{first}'s second levels: {'；'.join(category.subtopics)}"
        suggestions: dict[str, str] = {}
        for category in self.categories:
            for full in category.full_names():
                suggestions[full] = f"did you mean {full}?"
            if category.subtopics:
                suggestions.setdefault(category.name, f"did you mean {category.name}{SEPARATOR}…? "
                                                      f"its second levels: {'；'.join(category.subtopics)}")
        for sub, full in self._second.items():
            suggestions.setdefault(sub, f"did you mean {full}?")
        match = difflib.get_close_matches(topic, list(suggestions), n=1, cutoff=0.5)
        if match:
            return suggestions[match[0]]
        return f"write 一级{SEPARATOR}二级 as listed in content/_vocab/topics.yml, e.g. 综合政务{SEPARATOR}政务公开"


def check_topics(documents, topics: TopicList | None) -> list:
    """A located error at each document whose `topic:` is not in the list (none without a list)."""
    if topics is None:
        return []
    problems = []
    for doc in documents:
        found = topics.problem(doc.topic)
        if found is not None:
            problems.append(doc.source.problem(("topic",), *found))
    return problems
