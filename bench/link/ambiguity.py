#!/usr/bin/env python3
"""How much of the cross-script benchmark the records themselves can decide.

A record is compatible with every person of the generator who has the same true
name (the canonical given and father's name, or Han name) and whom nothing the
record states contradicts: its sex, its birth date (a full date: that year; a year:
within one, as the generator's ages are; "about Y": within two) and its hometown
(the county, or its prefecture). An ID number is taken to identify its person.
This is generous to any linker: it assumes every name in every script and spelling
is read perfectly. Still, a record compatible with k people can be given to the
right one only by chance (one in k), so the share of true pairs whose records are
all unambiguous, and the expected recall when each ambiguous record goes to one of
its compatible people, bound what pairwise recall any method can reach.

  python3 data/link/make_people.py 20000 7 --truth /tmp/truth.tsv > /tmp/p20k.csv
  python3 bench/link/ambiguity.py /tmp/p20k.csv /tmp/truth.tsv
"""
import collections
import csv
import os
import sys


def main():
    data, truth = sys.argv[1], sys.argv[2]
    here = os.path.dirname(os.path.abspath(__file__))
    person, by_name = {}, collections.defaultdict(list)
    with open(truth, encoding="utf-8") as f:
        for line in f:
            pid, people, sex, name, year, county = line.rstrip("\n").split("\t")
            person[pid] = (sex, int(year), county)
            by_name[(people, name)].append(pid)
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
        if row["gender"] and row["gender"] != sex:
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
    k = []
    for row in rows:
        pid = row["true_person"]
        k.append(1 if row["id_number"] else
                 sum(1 for q in by_name[name_of[pid]] if compatible(row, q)))
    members = collections.defaultdict(list)
    for i, row in enumerate(rows):
        members[row["true_person"]].append(i)
    pairs = unambiguous = 0
    expected = 0.0
    for ms in members.values():
        for i in range(len(ms)):
            for j in range(i + 1, len(ms)):
                a, b = k[ms[i]], k[ms[j]]
                pairs += 1
                unambiguous += a == 1 and b == 1
                expected += 1.0 / max(a, b)
    ambiguous = sum(1 for x in k if x > 1)
    print("%d records, %d compatible with two people or more (%.1f%%); %d true pairs: "
          "both records unambiguous %.4f, expected recall with one-in-k guesses %.4f"
          % (len(rows), ambiguous, 100.0 * ambiguous / len(rows), pairs, unambiguous / pairs,
             expected / pairs))


if __name__ == "__main__":
    main()
