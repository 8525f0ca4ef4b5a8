#!/usr/bin/env python3
"""Generates the cross-script linkage benchmark: a person CSV of synthetic Kazakh,
Uyghur and Han people in Xinjiang, several records per person, with the true person
of every record in an extra column `true_person` (which `izde dedupe` ignores).

People come in families: siblings share the father's name (the Kazakh and Uyghur
surname) or the Han family name, a birth decade and a hometown. Given names are drawn
with a Zipf-like weight, so common names (Memet, Gulnar, Nurlan, Wang Wei) recur and
namesakes are many. Each record writes the person the way one source would: Kazakh
Cyrillic with -ұлы/-қызы or -ов/-ова, Latin romanisations of several styles, Uyghur
Arabic script and Cyrillic, Chinese characters and their pinyin (name rendering from
data/names/make_pairs.py); the hometown from the gazetteer in the same script, at
county or prefecture level; birth dates exact, year only, "about", off by a year or
missing; PRC ID numbers (valid, from the county code, birth date and sex) on some
records, a few mistyped; typos in Latin names. Nothing describes a real person.

Usage: python3 data/link/make_people.py PEOPLE SEED > people.csv   (deterministic)
"""
import csv
import os
import random
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "names"))
import make_pairs as names  # noqa: E402

# Han family names and given-name characters (pinyin as ICU's Han-Latin reads them).
HAN_FAMILY = [("王", "wang"), ("李", "li"), ("张", "zhang"), ("刘", "liu"), ("陈", "chen"),
              ("杨", "yang"), ("赵", "zhao"), ("黄", "huang"), ("周", "zhou"), ("吴", "wu"),
              ("徐", "xu"), ("孙", "sun"), ("马", "ma"), ("胡", "hu"), ("郭", "guo"),
              ("何", "he"), ("高", "gao"), ("林", "lin"), ("罗", "luo"), ("郑", "zheng")]
HAN_GIVEN = [("伟", "wei"), ("芳", "fang"), ("军", "jun"), ("丽", "li"), ("强", "qiang"),
             ("敏", "min"), ("静", "jing"), ("杰", "jie"), ("磊", "lei"), ("洋", "yang"),
             ("艳", "yan"), ("勇", "yong"), ("娟", "juan"), ("涛", "tao"), ("明", "ming"),
             ("超", "chao"), ("霞", "xia"), ("平", "ping"), ("刚", "gang"), ("桂", "gui"),
             ("华", "hua"), ("建", "jian"), ("国", "guo"), ("玉", "yu"), ("兰", "lan"),
             ("春", "chun"), ("海", "hai"), ("英", "ying"), ("新", "xin"), ("文", "wen")]


def zipf_choice(rng, pool, s=1.0):
    weights = [1 / (i + 1) ** s for i in range(len(pool))]
    return rng.choices(pool, weights)[0]


def load_places(path):
    counties, prefectures = [], {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            code, level, zh, py, uly, ar, kk, other = line.rstrip("\n").split("\t")
            forms = {"han": zh, "pinyin": py, "latin": other.split("|")[0] or uly or py,
                     "uly": uly, "arabic": ar, "cyrillic": kk or uly}
            if level == "prefecture":
                prefectures[code] = forms
            elif level == "county" and zh and uly and ar and kk:
                counties.append((code, forms))
    return [(c, f, prefectures.get(c[:4] + "00")) for c, f in counties]


def prc_id(region, y, m, d, male, seq):
    body = "%s%04d%02d%02d%03d" % (region, y, m, d, seq * 2 + (1 if male else 0))
    total = sum(int(ch) * (2 ** (17 - i) % 11) for i, ch in enumerate(body))
    check = (12 - total % 11) % 11
    return body + ("X" if check == 10 else str(check))


def typo(rng, text):
    letters = [i for i, ch in enumerate(text) if ch.isalpha()]
    if len(letters) < 4:
        return text
    i = rng.choice(letters[1:])
    kind = rng.random()
    if kind < 0.4:
        return text[:i] + text[i + 1:]
    if kind < 0.7 and i + 1 < len(text) and text[i + 1].isalpha():
        return text[:i] + text[i + 1] + text[i] + text[i + 2:]
    return text[:i] + rng.choice("aeioulnrst") + text[i + 1:]


class Human:
    pass


def make_family(rng, places, people_left):
    fam = Human()
    fam.people = rng.choices(["kazakh", "uyghur", "han"], [0.35, 0.45, 0.20])[0]
    fam.place = rng.choice(places)
    fam.base_year = rng.randint(1940, 1995)
    if fam.people == "han":
        fam.family = zipf_choice(rng, HAN_FAMILY, 0.8)
    else:
        _, fathers = names.parts_for(fam.people, "m")
        fam.father = zipf_choice(rng, fathers, 0.7)
    members, used = [], set()
    for _ in range(min(people_left, rng.choice([1, 1, 2, 2, 3, 3, 4, 5]))):
        h = Human()
        h.people, h.place, h.gender = fam.people, fam.place, rng.choice("mf")
        h.year = fam.base_year + rng.randint(0, 12)
        h.month, h.day = rng.randint(1, 12), rng.randint(1, 28)
        for _ in range(10):  # siblings get different given names
            if fam.people == "han":
                n = rng.choice([1, 2, 2])
                h.given = [zipf_choice(rng, HAN_GIVEN, 0.9) for _ in range(n)]
                key = tuple(c for c, _ in h.given)
            else:
                givens, _ = names.parts_for(fam.people, h.gender)
                h.given = zipf_choice(rng, givens, 1.0)
                key = h.given[0]
            if key not in used:
                break
        used.add(key)
        if fam.people == "han":
            h.family = fam.family
        else:
            h.person = names.Person(fam.people, h.gender, h.given, fam.father)
        members.append(h)
    return members


def render_name(rng, h):
    if h.people == "han":
        script = rng.choices(["han", "pinyin", "pinyin_western"], [0.5, 0.3, 0.2])[0]
        zh = h.family[0] + "".join(c for c, _ in h.given)
        given_py = "".join(p for _, p in h.given).capitalize()
        if script == "han":
            return "han", zh
        if script == "pinyin":
            return "latin", h.family[1].capitalize() + " " + given_py
        return "latin", given_py + " " + h.family[1].capitalize()
    scripts = names.SCRIPTS[h.people]
    weights = [0.4, 0.25, 0.2, 0.15] if h.people == "kazakh" else [0.3, 0.1, 0.25, 0.2, 0.15]
    script = rng.choices(scripts, weights)[0]
    text = h.person.render(script, rng, PINYIN)
    return script, text


def render_place(rng, h, script):
    code, county, prefecture = h.place
    r = rng.random()
    if r < 0.3:
        return ""
    forms = prefecture if (r < 0.5 and prefecture) else county
    key = {"han": "han", "pinyin": "pinyin", "arabic": "arabic", "cyrillic": "cyrillic"}.get(
        script, rng.choice(["latin", "uly", "pinyin"]))
    return forms[key] or forms["han"]


def render_date(rng, h):
    r = rng.random()
    if r < 0.45:
        return "%04d-%02d-%02d" % (h.year, h.month, h.day)
    if r < 0.65:
        return str(h.year)
    if r < 0.75:
        return "about %d" % h.year
    if r < 0.83:
        return str(h.year + rng.choice([-1, 1]))
    return ""


def main():
    count, seed = int(sys.argv[1]), int(sys.argv[2])
    rng = random.Random(seed)
    here = os.path.dirname(os.path.abspath(__file__))
    global PINYIN
    PINYIN = names.load_pinyin(os.path.join(here, "..", "names", "han_turkic.tsv"))
    places = load_places(os.path.join(here, "..", "places", "xinjiang.tsv"))
    people = []
    while len(people) < count:
        people.extend(make_family(rng, places, count - len(people)))
    rows = []
    for pid, h in enumerate(people):
        h.id_number = prc_id(h.place[0], h.year, h.month, h.day, h.gender == "m", pid % 500)
        n = rng.choices([1, 2, 3, 4, 5], [0.35, 0.30, 0.20, 0.10, 0.05])[0]
        for _ in range(n):
            script, name = render_name(rng, h)
            if script in ("latin", "pinyin") and rng.random() < 0.08:
                name = typo(rng, name)
            father = ""
            if h.people != "han" and rng.random() < 0.2:
                f = h.person.father
                if script == "han":
                    father = rng.choice(f[1])
                elif script == "pinyin":
                    father = names.han_to_pinyin(rng.choice(f[1]), PINYIN)
                else:
                    father = names.Person(h.people, "m", f, f).render(script, rng, PINYIN)
                    father = father.split(" ")[0]
            gender = "" if rng.random() < 0.3 else h.gender
            idn = ""
            if rng.random() < 0.25:
                idn = h.id_number
                if rng.random() < 0.04:
                    i = rng.randrange(6, 17)
                    idn = idn[:i] + str((int(idn[i]) + 1) % 10) + idn[i + 1:]
            rows.append([name, father, gender, render_date(rng, h), render_place(rng, h, script),
                         idn, "P%07d" % pid])
    rng.shuffle(rows)
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(["id", "name", "father_name", "gender", "birth_date", "hometown", "id_number",
                "true_person"])
    for i, r in enumerate(rows):
        w.writerow(["R%07d" % (i + 1)] + r)


if __name__ == "__main__":
    main()
