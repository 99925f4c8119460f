"""Choosing a class from what someone asked for: a length, a focus, or both."""
from __future__ import annotations

from skill.practice.model import Library, Practice


def _words(text: str) -> set[str]:
    return {w.rstrip("s") for w in text.lower().replace("-", " ").split() if w not in {"my", "the", "a", "for"}}


def focus_rank(practice: Practice, focus: str) -> int | None:
    """How early focus appears among the class's focus, title and aliases; None when it does not."""
    wanted = _words(focus)
    for rank, text in enumerate((*practice.focus, practice.title, *practice.aliases)):
        if wanted & _words(text):
            return rank
    return None


def pick(library: Library, minutes: int | None, focus: str | None) -> tuple[Practice, bool]:
    """The best class, and whether it matched the focus asked for (True when none was asked)."""
    candidates = list(library)
    best = candidates
    matched = True
    if focus:
        ranked = [(focus_rank(p, focus), p) for p in candidates]
        fitting = [(r, p) for r, p in ranked if r is not None]
        matched = bool(fitting)
        if fitting:
            top = min(r for r, _ in fitting)
            best = [p for r, p in fitting if r == top]
            candidates = [p for _, p in sorted(fitting, key=lambda rp: rp[0])]
    if minutes:
        for group in (best, candidates):
            long_enough = [p for p in group if p.minutes >= minutes * 0.9]
            if long_enough:
                return min(long_enough, key=lambda p: p.minutes), matched
        return max(candidates, key=lambda p: p.minutes), matched
    return best[0], matched


_NAME_FILLER = {"the", "a", "an", "class", "classes", "one", "practice", "session", "yoga", "please", "my", "for"}


def by_name(library: Library, heard: str) -> Practice | None:
    """The one class a partial name points to ("the morning class", "hips", "back"): the class sharing the most
    words with it among its title, aliases and first focus, a word of its title counting a little more ("back"
    is Low Back Release before a class for the upper back); None when no class or more than one fits as well."""
    wanted = _words(heard) - {w.rstrip("s") for w in _NAME_FILLER}
    if not wanted:
        return None
    scores = []
    for practice in library:
        known = set().union(*(_words(t) for t in (practice.title, *practice.aliases, *practice.focus[:1])))
        scores.append((len(wanted & known) + 0.5 * len(wanted & _words(practice.title)), practice))
    best = max(score for score, _ in scores)
    winners = [p for score, p in scores if score == best]
    return winners[0] if best and len(winners) == 1 else None


ALL_ROUND = "full body"  # the focus of a class that suits most requests


def closest(library: Library, minutes: int | None, count: int = 2) -> list[Practice]:
    """The classes to offer when none fits the focus asked for: nearest in length when a length was asked,
    otherwise the all-round classes first, then the rest in the library's order."""
    if minutes:
        return sorted(library, key=lambda p: abs(p.minutes - minutes))[:count]
    return sorted(library, key=lambda p: ALL_ROUND not in p.focus)[:count]
