#!/usr/bin/env python3
"""How much of the cross-script benchmark the records themselves can decide.

A record is compatible with every person of the generator who has the same true
name (the canonical given and father's name, or Han name) and whom nothing the
record states contradicts: its sex, its birth date (a full date: that year; a year:
within one, as the generator's ages are; "about Y": within two) and its hometown
(the county, or its prefecture). An ID number is taken to identify its person. A
record that gives a Kazakh or Uyghur given name alone (a cellmate's, in the sources
model) fits everyone of that given name.
This is generous to any linker: it assumes every name in every script and spelling
is read perfectly. Still, a record compatible with k people can be given to the
right one only by chance (one in k), so the share of true pairs whose records are
all unambiguous, and the expected recall when each ambiguous record goes to one of
its compatible people, bound what pairwise recall any method can reach.

  python3 data/link/make_people.py 20000 7 --truth /tmp/truth.tsv > /tmp/p20k.csv
  python3 bench/link/ambiguity.py /tmp/p20k.csv /tmp/truth.tsv

With --dump DUMP (the file `IZDE_LINK_DUMP=DUMP bench_link cross /tmp/p20k.csv 2`
writes), it also decomposes the engine's loss: each missed true pair by where it was
lost — never blocked together, scored below the threshold, or scored above it (or
joined by single linkage) but kept apart by the clustering — and each false pair by
how it was made, each split by whether the records can decide it (both records fit
one person only) and, for ambiguous pairs, the share a one-in-k guess would get.
"""
import collections
import csv
import os
import sys


NAME_LEVEL = {"0": "missing", "1": "exact", "2": "close", "3": "same name", "4": "partial",
              "5": "different"}


def decompose(dump, rows, k, partial, threshold):
    """The engine's missed and false pairs by cause (see the module's docstring)."""
    index = {row["id"]: i for i, row in enumerate(rows)}
    missed = collections.Counter()
    missed_expected = collections.Counter()  # what a one-in-k guess would have found
    missed_names = collections.Counter()
    false = collections.Counter()
    false_names = collections.Counter()
    false_sources = collections.Counter()
    hits = collections.Counter()
    with open(dump, encoding="utf-8") as f:
        for line in f:
            c = line.rstrip("\n").split("\t")
            kind, p, levels = c[0], float(c[1]), c[2]
            a, b = index[c[-6]], index[c[-5]]
            blocked, single = c[-2] == "1", c[-1] == "1"
            ka, kb = k[a], k[b]
            decidable = "decidable" if ka == 1 and kb == 1 else "ambiguous"
            given = "given name alone" if partial[a] or partial[b] else ""
            name = NAME_LEVEL[levels[0]]
            if kind == "hit":
                hits[decidable] += 1
                continue
            if kind == "miss":
                if not blocked:
                    cause = "a. never blocked together, p >= %.2f" % threshold if p >= threshold \
                        else "a'. never blocked together, p < %.2f" % threshold
                elif p >= threshold:
                    cause = "c. p >= %.2f, split by the clustering" % threshold
                elif single:
                    cause = "c'. p < %.2f, single linkage would join them, clustering did not" % threshold
                else:
                    cause = "b. blocked, p < %.2f" % threshold
                missed[(cause, decidable)] += 1
                missed_expected[(cause, decidable)] += 1.0 / max(ka, kb)
                if cause.startswith("b.") and decidable == "decidable":
                    missed_names[(name, given)] += 1
                continue
            how = "p >= %.2f (the pair itself)" % threshold if p >= threshold \
                else "p < %.2f (joined through its cluster)" % threshold
            false[(how, decidable)] += 1
            false_names[(how, decidable, name)] += 1
            false_sources["+".join(sorted((rows[a].get("source") or "-", rows[b].get("source") or "-")))] += 1
    n_miss = sum(missed.values())
    n_true = n_miss + sum(hits.values())
    print("\nMissed true pairs: %d of %d (decidable: both records fit one person; expected = "
          "what giving each ambiguous record to one of its people at random finds)" % (n_miss, n_true))
    for cause in sorted({c for c, _ in missed}):
        d, a = missed[(cause, "decidable")], missed[(cause, "ambiguous")]
        print("  %-70s %6d  decidable %6d  ambiguous %6d (expected by a guess %.0f)"
              % (cause, d + a, d, a, missed_expected[(cause, "ambiguous")]))
    print("  of b. and decidable, by name level: " + ", ".join(
        "%s%s %d" % (n, " (%s)" % g if g else "", v) for (n, g), v in missed_names.most_common()))
    n_false = sum(false.values())
    print("False pairs: %d" % n_false)
    for how in sorted({h for h, _ in false}):
        for dec in ("decidable", "ambiguous"):
            if false[(how, dec)]:
                print("  %-45s %-10s %6d; names: %s" % (how, dec, false[(how, dec)], ", ".join(
                    "%s %d" % (nm, v) for (h, dd, nm), v in false_names.most_common()
                    if h == how and dd == dec)))
    print("  by the two records' sources: " + ", ".join(
        "%s %d" % kv for kv in false_sources.most_common()))


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    dump = None
    threshold = 0.5
    for i, a in enumerate(sys.argv):
        if a == "--dump":
            dump = sys.argv[i + 1]
            args.remove(dump)
        if a == "--threshold":
            threshold = float(sys.argv[i + 1])
            args.remove(sys.argv[i + 1])
    data, truth = args[0], args[1]
    here = os.path.dirname(os.path.abspath(__file__))
    person, by_name = {}, collections.defaultdict(list)
    by_given, given_of = collections.defaultdict(list), {}
    with open(truth, encoding="utf-8") as f:
        for line in f:
            cols = line.rstrip("\n").split("\t")
            pid, people, sex, name, year, county = cols[:6]
            given = cols[6] if len(cols) > 6 else name  # truth files before the sources model
            person[pid] = (sex, int(year), county)
            by_name[(people, name)].append(pid)
            by_given[(people, given)].append(pid)
            given_of[pid] = (people, given)
    name_of = {pid: key for key, pids in by_name.items() for pid in pids}
    places = {}
    with open(os.path.join(here, "..", "..", "data", "places", "xinjiang.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            cols = line.rstrip("\n").split("\t")
            for form in cols[2:7] + cols[7].split("|"):
                if form:
                    places.setdefault(form.lower(), cols[0])

    def compatible(row, pid):
        sex, year, county = person[pid]
        gender = {"男": "m", "女": "f"}.get(row["gender"], row["gender"])
        if gender and gender != sex:
            return False
        d = row["birth_date"]
        if d:
            if d.startswith("about"):
                y, tolerance = int(d.split()[1]), 2
            elif len(d) == 4:
                y, tolerance = int(d), 1
            else:
                y, tolerance = int(d[:4]), 0
            if abs(y - year) > tolerance:
                return False
        code = places.get(row["hometown"].lower()) if row["hometown"] else None
        if code and code != "650000" and code not in (county, county[:4] + "00"):
            return False
        return True

    with open(data, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))

    def given_only(row):
        # The sources model's cellmates sometimes knew a Kazakh or Uyghur detainee by
        # the given name alone: such a record fits everyone of that given name.
        return (row.get("source") == "cellmate" and given_of[row["true_person"]][0] != "han"
                and len(row["name"].split()) == 1)

    k = []
    for row in rows:
        pid = row["true_person"]
        pool = by_given[given_of[pid]] if given_only(row) else by_name[name_of[pid]]
        k.append(1 if row["id_number"] else sum(1 for q in pool if compatible(row, q)))
    members = collections.defaultdict(list)
    for i, row in enumerate(rows):
        members[row["true_person"]].append(i)
    partial = [given_only(row) for row in rows]
    # All true pairs, then those where both records give the full name.
    pairs, unambiguous, expected = [0, 0], [0, 0], [0.0, 0.0]
    for ms in members.values():
        for i in range(len(ms)):
            for j in range(i + 1, len(ms)):
                a, b = k[ms[i]], k[ms[j]]
                for s in (0, 1):
                    if s == 1 and (partial[ms[i]] or partial[ms[j]]):
                        continue
                    pairs[s] += 1
                    unambiguous[s] += a == 1 and b == 1
                    expected[s] += 1.0 / max(a, b)
    ambiguous = sum(1 for x in k if x > 1)
    print("%d records, %d compatible with two people or more (%.1f%%); %d true pairs: "
          "both records unambiguous %.4f, expected recall with one-in-k guesses %.4f"
          % (len(rows), ambiguous, 100.0 * ambiguous / len(rows), pairs[0],
             unambiguous[0] / pairs[0], expected[0] / pairs[0]))
    if any(partial):
        print("%d records give a given name alone; the %d true pairs where both records give "
              "the full name: both unambiguous %.4f, expected recall %.4f"
              % (sum(partial), pairs[1], unambiguous[1] / pairs[1], expected[1] / pairs[1]))
    sources = collections.Counter(row.get("source") or "-" for row in rows)
    if len(sources) > 1:
        amb = collections.Counter(row.get("source") or "-" for row, x in zip(rows, k) if x > 1)
        print("ambiguous records by source: " + ", ".join(
            "%s %d of %d" % (s, amb[s], n) for s, n in sorted(sources.items())))
    if dump:
        decompose(dump, rows, k, partial, threshold)


if __name__ == "__main__":
    main()
