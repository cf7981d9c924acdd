"""Reproducible synthetic professional networks: a Holme–Kim power-law-cluster graph
(preferential attachment with triad formation — heavy-tailed degrees and clustering, like
real social graphs) and believable EN/FR profiles, written through the storage bulk path."""

from __future__ import annotations

import random
from array import array
from collections.abc import Iterator

FIRST = {"en": ["James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda",
                "David", "Sarah", "Daniel", "Emily", "Olivia", "Noah", "Emma", "Liam"],
         "fr": ["Camille", "Louis", "Léa", "Hugo", "Chloé", "Lucas", "Manon", "Jules", "Inès",
                "Gabriel", "Zoé", "Arthur", "Élise", "Théo", "Margaux", "Nathan"]}
LAST = {"en": ["Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson",
               "Taylor", "Clark", "Lewis", "Walker", "Young", "King", "Wright", "Hill"],
        "fr": ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand",
               "Leroy", "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "Roux"]}
ROLES = {"en": ["Recruiter", "Talent Partner", "Founder", "Account Executive", "Sales Director",
                "Product Manager", "Software Engineer", "Data Scientist", "Head of Growth",
                "CFO", "HR Business Partner", "Designer"],
         "fr": ["Recruteuse", "Chargé de recrutement", "Fondateur", "Commercial grands comptes",
                "Directrice commerciale", "Chef de produit", "Ingénieur logiciel",
                "Data scientist", "Responsable croissance", "DAF", "RRH", "Designer"]}
COMPANIES = ["Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark Industries", "Wayne",
             "Soylent", "Capsule", "Mistral Conseil", "Lumen", "Atelier Nord", "BlueSky",
             "Orange Peak", "Pixel & Co", "DataFerme"]
CITIES = {"en": ["London", "New York", "Berlin", "Toronto", "Dublin", "Austin"],
          "fr": ["Paris", "Lyon", "Nantes", "Montréal", "Bordeaux", "Lille"]}
INDUSTRIES = ["Software", "Recruiting", "Finance", "Retail", "Energy", "Healthcare", "Media"]


def powerlaw_cluster_edges(n: int, m: int, p: float, seed: int) -> tuple[array, array]:
    """Holme–Kim: each new node links to `m` nodes chosen by degree, and after each
    preferential link, with probability `p`, closes a triangle with a neighbour of the node
    it just linked to. Nodes are 1..n (member ids). Returns two parallel id arrays."""
    rng = random.Random(seed)
    neighbours: list[set[int]] = [set() for _ in range(n + 1)]
    repeated = array("i")  # every edge end once: sampling from it is sampling by degree
    left, right = array("i"), array("i")

    def link(a: int, b: int) -> None:
        neighbours[a].add(b)
        neighbours[b].add(a)
        repeated.append(a)
        repeated.append(b)
        left.append(a)
        right.append(b)

    for node in range(2, min(m + 1, n) + 1):  # a small seed clique-ish start
        for other in range(1, node):
            link(node, other)
    for node in range(m + 2, n + 1):
        # Half the members are newcomers with a handful of connections, half are active
        # networkers with ~2m: the mean stays ~m (average degree ~2m) and far answers
        # (3rd degree, out of network) become common, as in a real community.
        want = rng.randint(1, 3) if rng.random() < 0.5 else rng.randint(int(1.2 * m),
                                                                         int(2.8 * m))
        want = min(want, node - 1)
        targets: set[int] = set()
        last = None
        while len(targets) < want:
            if last is not None and rng.random() < p:
                candidates = [x for x in neighbours[last] if x != node and x not in targets]
                if candidates:
                    targets.add(rng.choice(candidates))
                    continue
            last = repeated[rng.randrange(len(repeated))]
            if last != node:
                targets.add(last)
        for target in targets:
            link(node, target)
    return left, right


def profiles(n: int, seed: int, telegram_base: int = 9_000_000_000
             ) -> Iterator[tuple[object, ...]]:
    """(telegram_id, handle, first, last, language, headline, company, location, industry)
    for members 1..n; telegram ids sit in a range real users never have."""
    rng = random.Random(seed * 7919 + 1)
    for i in range(1, n + 1):
        lang = "fr" if rng.random() < 0.45 else "en"
        first, last = rng.choice(FIRST[lang]), rng.choice(LAST[lang])
        company = rng.choice(COMPANIES)
        handle = f"{first}{last}{i}".lower().encode("ascii", "ignore").decode()
        yield (telegram_base + i, handle, first, last, lang,
               f"{rng.choice(ROLES[lang])} · {company}", company, rng.choice(CITIES[lang]),
               rng.choice(INDUSTRIES))
