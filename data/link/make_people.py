#!/usr/bin/env python3
"""Generates the cross-script linkage benchmark: a person CSV of synthetic Kazakh,
Uyghur and Han people in Xinjiang, several records per person, with the true person
of every record in an extra column `true_person` (which `izde dedupe` ignores).

People come in families: siblings share the father's name (the Kazakh and Uyghur
surname) or the Han family name, a birth decade and a hometown. Given names are drawn
with a Zipf-like weight, so common names (Memet, Gulnar, Nurlan, Wang Wei) recur and
namesakes are many. Nothing describes a real person.

Each record is written by a source (the default, `--sources sources`), as the issue
says these records arise: a relative's testimony (the family's own script, full birth
date, county, often the father's name, sometimes an ID number copied from a card); a
leaked police list (Chinese characters, an ID number on every row, full birth date,
county in Chinese, sex); a released cellmate (the name as heard, in Latin or Cyrillic,
often misspelt or the given name alone; an age; a prefecture or nothing; no ID); a
press report (Latin letters, an age or a year, a city or prefecture). What a source
knows, it writes; what it does not, is missing on all its records together. The
share of each source and each number are explained where they are set (SOURCES and
the *_record functions below) and in docs/linkage.md ("The cross-script benchmark").
The source is written to the `source` column of the person CSV.

`--sources independent` writes the earlier model instead (byte for byte the files of
sessions 12-13): every field dropped or varied by its own coin, whatever the source
(dates exact 45% / year 20% / "about" 10% / off by a year 8% / missing 17%; hometown
missing 30%, at prefecture level 20%; sex missing 30%; ID number on 25%, 4% of those
mistyped; 8% typos in Latin names), names in every script at fixed shares.

Usage: python3 data/link/make_people.py PEOPLE SEED [--sources sources|independent]
           [--truth PEOPLE.tsv] > people.csv
(deterministic). With --truth, each person's true attributes are written to another
file (person, people, sex, canonical name, birth year, county code, canonical given
name), for bench/link/ambiguity.py; the records are the same with or without it.
"""
import argparse
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
             ("春", "chun"), ("海", "hai"), ("英", "ying"), ("新", "xin"), ("文", "wen"),
             ("红", "hong"), ("梅", "mei"), ("秀", "xiu"), ("燕", "yan"), ("辉", "hui"),
             ("斌", "bin"), ("鹏", "peng"), ("飞", "fei"), ("波", "bo"), ("宁", "ning"),
             ("凤", "feng"), ("云", "yun"), ("亮", "liang"), ("东", "dong"), ("林", "lin"),
             ("峰", "feng"), ("志", "zhi"), ("永", "yong"), ("庆", "qing"), ("荣", "rong"),
             ("成", "cheng"), ("德", "de"), ("琴", "qin"), ("晓", "xiao"), ("雪", "xue"),
             ("宏", "hong"), ("光", "guang"), ("金", "jin"), ("红", "hong"), ("江", "jiang"),
             ("玲", "ling"), ("萍", "ping"), ("俊", "jun"), ("莉", "li"), ("鑫", "xin")]
HAN_GIVEN = list(dict.fromkeys(HAN_GIVEN))

# ---- Name pools. data/names/make_pairs.py has 12-18 given names per people and gender
# and 14-16 fathers' names, enough for name pairs but far too few for a population: at
# 20,000 people every full name had dozens to hundreds of namesakes with the same birth
# year and prefecture, pairs nobody could separate. Real Kazakh and Uyghur given names
# run to thousands, most of them compounds of a few dozen parts (Nur+lan, Er+jan,
# Ay+gül, Gül+nar, Memet+jan), and a father's name is a man's given name of the
# generation before. The pools below are built that way, from parts whose Chinese
# transcription characters are in data/names/han_turkic.tsv (so the names module can
# read them), and drawn with a mild Zipf skew (s = 0.6: the commonest given name is
# about 6% of one people and gender, as a common name like Nurlan or Memet is), listed
# with the common names first. The result still has namesakes (two people named
# "Memet Memet" in the same county are common at 400,000 people) but not a population
# where one name in three is the same.
KZ_MALE_START = [("Нұр", "努尔"), ("Ер", "叶尔"), ("Бек", "别克"), ("Ақ", "阿克"),
                 ("Дос", "多斯"), ("Жан", "加恩"), ("Сұлтан", "苏力坦"), ("Бай", "拜")]
KZ_MALE_END = [("лан", "兰"), ("бол", "波力"), ("жан", "江"), ("бек", "别克"),
               ("хан", "汗"), ("ғали", "哈力"), ("тай", "泰"), ("болат", "波拉提")]
KZ_MALE_EXTRA = [
    ("Арман", "阿尔曼"), ("Айдос", "阿依多斯"), ("Дархан", "达尔汗"), ("Марат", "马拉提"),
    ("Нұртай", "努尔泰"), ("Самат", "萨马提"), ("Тимур", "铁木尔"), ("Ғалым", "哈力木"),
    ("Еркін", "叶尔肯"), ("Азамат", "阿扎马提"), ("Қуаныш", "库阿尼什"), ("Ринат", "热那提"),
    ("Олжас", "奥勒加斯"), ("Абай", "阿拜"), ("Ілияс", "伊力亚斯"), ("Ислам", "伊斯拉木"),
    ("Мейрам", "麦依拉木"), ("Мақсат", "马克萨提"), ("Асхат", "阿斯哈提"), ("Әділет", "阿迪力提"),
    ("Мұхтар", "木合塔尔"), ("Оспан", "奥斯潘"), ("Қасым", "哈斯木"), ("Жұмабай", "居马拜"),
    ("Тұрсын", "吐尔逊"), ("Серікбай", "赛力克拜"), ("Мұқаш", "木卡什"), ("Сейіт", "赛依提"),
    ("Тоқтар", "托合塔尔"), ("Қабыл", "卡布力"), ("Бекен", "别肯"), ("Ақытхан", "阿克提汗"),
]
KZ_FEMALE_START = [("Ай", "阿依"), ("Гүл", "古丽"), ("Нұр", "努尔"), ("Бал", "巴力"),
                   ("Жан", "加娜"), ("Күн", "昆"), ("Ақ", "阿克")]
KZ_FEMALE_END = [("гүл", "古丽"), ("нұр", "努尔"), ("жан", "江"), ("сұлу", "苏鲁"),
                 ("бану", "巴努"), ("сара", "萨拉"), ("нар", "娜尔"), ("мира", "米拉")]
KZ_FEMALE_EXTRA = [
    ("Қалида", "卡丽达"), ("Жанар", "加娜尔"), ("Сәуле", "萨吾列"), ("Динара", "迪娜拉"),
    ("Назгүл", "娜孜古丽"), ("Әсем", "阿赛木"), ("Баян", "巴燕"), ("Ақмарал", "阿克玛拉力"),
    ("Жұлдыз", "居力都孜"), ("Зарина", "扎丽娜"), ("Ләззат", "拉扎提"), ("Мәдина", "玛迪娜"),
    ("Салтанат", "萨力塔娜提"), ("Толқын", "托力昆"), ("Ұлжан", "吾力江"), ("Камила", "卡米拉"),
    ("Әйгерім", "阿依格尔木"), ("Ботагөз", "波塔阔孜"), ("Шынар", "夏娜尔"), ("Роза", "肉扎"),
]
UG_MALE_ROOTS = [
    ("Memet", "买买提"), ("Tursun", "吐尔逊"), ("Ilham", "伊力哈木"), ("Abdurehim", "阿不都热依木"),
    ("Ablikim", "阿不力克木"), ("Erkin", "艾尔肯"), ("Qurban", "库尔班"), ("Yüsüp", "玉素甫"),
    ("Exmet", "艾合买提"), ("Rozi", "肉孜"), ("Adil", "阿迪力"), ("Alim", "阿里木"),
    ("Perhat", "帕尔哈提"), ("Ekber", "艾克拜尔"), ("Mutellip", "木塔力甫"), ("Tahir", "塔依尔"),
    ("Ablet", "阿布来提"), ("Toxti", "托合提"), ("Abdulla", "阿不都拉"), ("Qasim", "卡斯木"),
    ("Niyaz", "尼亚孜"), ("Hoshur", "吾守尔"), ("Yasin", "亚森"), ("Osman", "奥斯曼"),
    ("Abdukérim", "阿不都克热木"), ("Sidiq", "斯迪克"), ("Eziz", "艾则孜"), ("Qadir", "卡迪尔"),
    ("Hesen", "哈森"), ("Kérim", "克热木"), ("Mamut", "玛木提"), ("Mijit", "米吉提"),
    ("Nijat", "尼加提"), ("Yalqun", "亚力昆"), ("Sabir", "萨比尔"), ("Abliz", "阿布力孜"),
    ("Dilshat", "迪力夏提"), ("Ilyas", "伊力亚斯"), ("Imin", "伊敏"), ("Muxter", "木合塔尔"),
    ("Waris", "瓦热斯"), ("Yunus", "尤努斯"), ("Obul", "吾布力"), ("Nurmemet", "努尔买买提"),
]
UG_MALE_SUFFIX = ("jan", "江")  # Memetjan, Tursunjan: a common affectionate form
UG_FEMALE_START = [("Ay", "阿依"), ("Nur", "努尔"), ("Dil", "迪丽"), ("Pati", "帕提"),
                   ("Mihri", "米合日"), ("Rizwan", "热孜万"), ("Ziba", "孜巴"), ("Tuji", "吐吉")]
UG_FEMALE_END = [("gül", "古丽"), ("nur", "努尔"), ("nisa", "尼萨"), ("bahar", "巴哈尔")]
UG_FEMALE_EXTRA = [
    ("Gülnar", "古丽娜尔"), ("Reyhan", "热依汗"), ("Mahire", "玛依热"), ("Sanawer", "萨那瓦尔"),
    ("Amine", "阿米娜"), ("Zulpiye", "祖丽皮耶"), ("Gülzar", "古丽扎尔"), ("Gülbahar", "古丽巴哈尔"),
    ("Mehriban", "米合日巴努"), ("Nigare", "尼格热"), ("Parida", "帕丽达"), ("Rabiye", "热比亚"),
    ("Rahile", "热依拉"), ("Zöhre", "祖合热"), ("Dilber", "迪丽拜尔"), ("Hörnisa", "吾尔尼萨"),
    ("Kamile", "卡米拉"), ("Mayinur", "玛依努尔"), ("Subinur", "苏比努尔"), ("Tumaris", "图玛丽斯"),
    ("Xalide", "哈丽达"), ("Gülshen", "古丽申"), ("Buhelchem", "布合力切木"), ("Saniye", "萨尼耶"),
]


NAME_SKEW = 0.6


def parts_for(people, gender):
    if people == "kazakh":
        return KAZAKH_MALE if gender == "m" else KAZAKH_FEMALE
    return UYGHUR_MALE if gender == "m" else UYGHUR_FEMALE


def compose(starts, ends, extra):
    pool, seen = [], set()
    for start in starts:
        for end in ends:
            if start[0].lower() == end[0].lower():
                continue
            pool.append((start[0] + end[0], [start[1] + end[1]]))
    # Interleave the compounds with the standalone names so that common names of both
    # kinds come first.
    mixed = []
    for i in range(max(len(pool), len(extra))):
        for source in (pool, extra):
            if i < len(source) and source[i][0].lower() not in seen:
                seen.add(source[i][0].lower())
                mixed.append(source[i] if isinstance(source[i][1], list)
                             else (source[i][0], [source[i][1]]))
    return mixed


KAZAKH_MALE = compose(KZ_MALE_START, KZ_MALE_END, KZ_MALE_EXTRA)
KAZAKH_FEMALE = compose(KZ_FEMALE_START, KZ_FEMALE_END, KZ_FEMALE_EXTRA)
UYGHUR_MALE = [(r, [h]) for r, h in UG_MALE_ROOTS]
for r, h in UG_MALE_ROOTS[:30]:
    UYGHUR_MALE.append((r + UG_MALE_SUFFIX[0], [h + UG_MALE_SUFFIX[1]]))
UYGHUR_FEMALE = compose(UG_FEMALE_START, UG_FEMALE_END, UG_FEMALE_EXTRA)


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


def typo(rng, text, replacements="aeioulnrst"):
    """A mistyped letter: dropped, two swapped, or one replaced by one of `replacements`
    (the writer's own script)."""
    letters = [i for i, ch in enumerate(text) if ch.isalpha()]
    if len(letters) < 4:
        return text
    i = rng.choice(letters[1:])
    kind = rng.random()
    if kind < 0.4:
        return text[:i] + text[i + 1:]
    if kind < 0.7 and i + 1 < len(text) and text[i + 1].isalpha():
        return text[:i] + text[i + 1] + text[i] + text[i + 2:]
    return text[:i] + rng.choice(replacements) + text[i + 1:]


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
        fam.father = zipf_choice(rng, parts_for(fam.people, "m"), NAME_SKEW)
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
                h.given = zipf_choice(rng, parts_for(fam.people, h.gender), NAME_SKEW)
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


# ---- Sources (the default model, `--sources sources`). The issue says where these
# records come from: "several relatives, a released cellmate, a leaked police list in
# Chinese characters and a press report". Each source writes what it knows, in its own
# script, and leaves out what it does not know, so a record's fields are missing
# together, not each by its own coin (the `--sources independent` model, kept so the
# earlier figures can be reproduced). Every number below is a judgement from how the
# source arises, not a measurement: we have no real list statistics.
#
# Share of records per source: a volunteer group's intake is mostly relatives'
# testimonies (up to 60 a day at one group's peak: PRODUCT.md), so they are the
# largest share (0.45); leaked lists are imported whole and a listed detainee appears
# in one (0.25, at most one row per person: the benchmark models one leaked list);
# released cellmates name the people they shared a cell with, but few detainees are
# named by one (0.15); the press covers fewer people still, but several outlets retell
# a known case (0.15).
SOURCES = [("relative", 0.45), ("police_list", 0.25), ("cellmate", 0.15), ("press", 0.15)]


def pick(rng, options):
    """One key of [(key, weight), ...]."""
    return rng.choices([k for k, _ in options], [w for _, w in options])[0]


def place_form(forms, script, rng):
    key = {"han": "han", "pinyin": "pinyin", "arabic": "arabic", "cyrillic": "cyrillic"}.get(
        script, rng.choice(["latin", "uly", "pinyin"]))
    return forms[key] or forms["han"]


def place_at(rng, h, level, script):
    """The hometown at `level` ("county", "prefecture" or "" for none) in `script`."""
    _, county, prefecture = h.place
    if not level:
        return ""
    forms = prefecture if (level == "prefecture" and prefecture) else county
    return place_form(forms, script, rng)


def cyrillic_typo(rng, text):
    """A misheard or mistyped letter in a Cyrillic name: dropped, swapped or replaced by a
    Cyrillic letter (never a Latin one: a writer stays in one script)."""
    return typo(rng, text, "аеиоулнрст")


def misspell(rng, script, text):
    return cyrillic_typo(rng, text) if script == "cyrillic" else typo(rng, text)


def han_name(rng, h, script):
    zh = h.family[0] + "".join(c for c, _ in h.given)
    given_py = "".join(p for _, p in h.given).capitalize()
    if script == "han":
        return zh
    if script == "pinyin":
        return h.family[1].capitalize() + " " + given_py
    return given_py + " " + h.family[1].capitalize()  # "pinyin_western": given name first


def given_only(rng, h, script):
    """A Kazakh or Uyghur given name alone, as a cellmate knew it."""
    g = h.person.given[0]
    if h.people == "kazakh":
        return g if script == "cyrillic" else names.kazakh_to_latin(g, random.Random(rng.random()))
    if script == "cyrillic":
        return names.uly_to_cyrillic(g)
    return names.uly_to_latin(g, rng.choice(names.ULY_STYLES))


def father_column(rng, h, script):
    f = h.person.father
    if script == "han":
        return rng.choice(f[1])
    if script == "pinyin":
        return names.han_to_pinyin(rng.choice(f[1]), PINYIN)
    return names.Person(h.people, "m", f, f).render(script, rng, PINYIN).split(" ")[0]


def relative_record(rng, h):
    """A relative's testimony. The family writes the name in its own script, correctly
    (they know it): Kazakh families in Kazakhstan Cyrillic (0.6) or the Latin forms the
    volunteers type for English submissions (0.4); Uyghur families the Arabic script
    (0.45), a Latin spelling (0.35: the diaspora in Turkey and the West) or Cyrillic (0.2:
    Uyghurs of Kazakhstan); Han families characters (0.7) or pinyin (0.3). A hand-typed
    Latin name has a typo now and then (0.03). They state the sex ("my son", 0.95) and
    give the father's name separately half the time (a testimony names the family). The
    birth date: the full date (0.7), else the year (0.25; one in five of those off by one,
    the year worked back from an age) or nothing (0.05: a distant relative). The
    hometown is the county or village they come from (0.75), the prefecture or city for
    a family that left long ago (0.15), or not said (0.1). An ID number sometimes (0.3),
    copied by hand from an ID card or a photo of one: 3% of those with a wrong digit."""
    if h.people == "han":
        script = pick(rng, [("han", 0.7), ("pinyin", 0.3)])
        name = han_name(rng, h, script)
        if script == "pinyin":
            script = "latin"
    else:
        options = ([("cyrillic", 0.6), ("latin", 0.4)] if h.people == "kazakh" else
                   [("arabic", 0.45), ("latin", 0.35), ("cyrillic", 0.2)])
        script = pick(rng, options)
        name = h.person.render(script, rng, PINYIN)
    if script == "latin" and rng.random() < 0.03:
        name = typo(rng, name)
    father = father_column(rng, h, script) if h.people != "han" and rng.random() < 0.5 else ""
    gender = h.gender if rng.random() < 0.95 else ""
    r = rng.random()
    if r < 0.7:
        date = "%04d-%02d-%02d" % (h.year, h.month, h.day)
    elif r < 0.95:
        date = str(h.year + (rng.choice([-1, 1]) if rng.random() < 0.2 else 0))
    else:
        date = ""
    level = pick(rng, [("county", 0.75), ("prefecture", 0.15), ("", 0.1)])
    idn = h.id_number if rng.random() < 0.3 else ""
    if idn and rng.random() < 0.03:
        idn = wrong_digit(rng, idn)
    return [name, father, gender, date, place_at(rng, h, level, script), idn]


def police_record(rng, h):
    """A row of a leaked police list: the name in Chinese characters (a Kazakh or Uyghur
    name in its official transcription, with or without the dot), the 18-digit ID number
    on every row (typed from the household register: a wrong digit in 1%), the full birth
    date and sex (the register's), the county of registration in Chinese. No father's
    name: the list's own columns do not have one."""
    name = han_name(rng, h, "han") if h.people == "han" else h.person.render("han", rng, PINYIN)
    idn = h.id_number if rng.random() >= 0.01 else wrong_digit(rng, h.id_number)
    return [name, "", "男" if h.gender == "m" else "女",
            "%04d-%02d-%02d" % (h.year, h.month, h.day), place_at(rng, h, "county", "han"), idn]


def cellmate_record(rng, h):
    """A released cellmate's testimony. The name as heard and later written down in the
    witness's script, Latin or Cyrillic (a Han detainee's in pinyin); often misspelt
    (0.3: heard, never read); a Kazakh or Uyghur detainee known by the given name alone
    in 35% (cellmates use given names). The sex is known (cells hold men or women),
    written 0.9 of the time. No birth date but an age (0.6), turned into "about YEAR"
    from the year of the testimony (the year itself or one off: the birthday may or may
    not have passed). The hometown as said in the cell: the prefecture or city (0.45),
    the county (0.1), or nothing (0.45). No ID number, no separate father's name."""
    if h.people == "han":
        script = "latin"
        name = han_name(rng, h, pick(rng, [("pinyin", 0.5), ("pinyin_western", 0.5)]))
        typo_rate = 0.15  # a Chinese name is short and heard in full
    else:
        script = pick(rng, [("latin", 0.5), ("cyrillic", 0.5)])
        name = (given_only(rng, h, script) if rng.random() < 0.35
                else h.person.render(script, rng, PINYIN))
        typo_rate = 0.3
    if rng.random() < typo_rate:
        name = misspell(rng, script, name)
    gender = h.gender if rng.random() < 0.9 else ""
    date = "about %d" % (h.year + rng.choice([-1, 0, 0, 1])) if rng.random() < 0.6 else ""
    level = pick(rng, [("prefecture", 0.45), ("county", 0.1), ("", 0.45)])
    return [name, "", gender, date, place_at(rng, h, level, script), ""]


def press_record(rng, h):
    """A press report in English: the name in Latin letters (a Han name in pinyin, given
    name first half the time), a typo in 5% (copied from another language). The age
    ("the 43-year-old", 0.5) as "about YEAR" (the year or the next: the birthday may not
    have passed), the year of birth from a document (0.2) or nothing (0.3). The city or
    prefecture (0.6: "from Ghulja"), the county (0.2) or nothing (0.2). The sex from the
    pronoun (0.9). An ID number only when the report reproduces a document (0.03)."""
    if h.people == "han":
        name = han_name(rng, h, pick(rng, [("pinyin", 0.5), ("pinyin_western", 0.5)]))
    else:
        name = h.person.render("latin", rng, PINYIN)
    if rng.random() < 0.05:
        name = typo(rng, name)
    gender = h.gender if rng.random() < 0.9 else ""
    r = rng.random()
    date = ("about %d" % (h.year + rng.choice([0, 1])) if r < 0.5 else
            str(h.year) if r < 0.7 else "")
    level = pick(rng, [("prefecture", 0.6), ("county", 0.2), ("", 0.2)])
    idn = h.id_number if rng.random() < 0.03 else ""
    return [name, "", gender, date, place_at(rng, h, level, "latin"), idn]


def wrong_digit(rng, idn):
    i = rng.randrange(6, 17)
    return idn[:i] + str((int(idn[i]) + 1) % 10) + idn[i + 1:]


SOURCE_RECORD = {"relative": relative_record, "police_list": police_record,
                 "cellmate": cellmate_record, "press": press_record}


def source_rows(rng, people):
    """Each person has 1-5 records (35/30/20/10/5%, as in the independent model: most
    people are named once, by one relative; a few by several sources). A person is on
    the one leaked list at most once: a second police row drawn for them is written as
    a relative's testimony instead (so after a police row the next source is a
    relative's 45%, a cellmate's or a press report's 27% each)."""
    rows = []
    for pid, h in enumerate(people):
        h.id_number = prc_id(h.place[0], h.year, h.month, h.day, h.gender == "m", pid % 500)
        n = rng.choices([1, 2, 3, 4, 5], [0.35, 0.30, 0.20, 0.10, 0.05])[0]
        listed = False
        for _ in range(n):
            source = pick(rng, SOURCES[1:] if listed else SOURCES)
            if listed and source == "police_list":
                source = "relative"
            listed = listed or source == "police_list"
            rows.append(SOURCE_RECORD[source](rng, h) + [source, "P%07d" % pid])
    return rows


def independent_rows(rng, people):
    """The earlier model (`--sources independent`): every field dropped or varied by its
    own coin, whatever the source. Kept unchanged so its figures can be reproduced."""
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
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("people", type=int)
    parser.add_argument("seed", type=int)
    parser.add_argument("--truth", help="write each person's true attributes here")
    parser.add_argument("--sources", choices=["sources", "independent"], default="sources",
                        help="records written by sources (default) or the earlier "
                             "independent-drop model")
    args = parser.parse_args()
    count, seed, truth = args.people, args.seed, args.truth
    rng = random.Random(seed)
    here = os.path.dirname(os.path.abspath(__file__))
    global PINYIN
    PINYIN = names.load_pinyin(os.path.join(here, "..", "names", "han_turkic.tsv"))
    places = load_places(os.path.join(here, "..", "places", "xinjiang.tsv"))
    people = []
    while len(people) < count:
        people.extend(make_family(rng, places, count - len(people)))
    if truth:
        with open(truth, "w", encoding="utf-8") as t:
            for pid, h in enumerate(people):
                name = (h.family[0] + "".join(c for c, _ in h.given) if h.people == "han"
                        else h.person.given[0] + " " + h.person.father[0])
                given = name if h.people == "han" else h.person.given[0]
                t.write("P%07d\t%s\t%s\t%s\t%d\t%s\t%s\n" % (
                    pid, h.people, h.gender, name, h.year, h.place[0], given))
    header = ["id", "name", "father_name", "gender", "birth_date", "hometown", "id_number"]
    if args.sources == "independent":
        rows = independent_rows(rng, people)
    else:
        rows = source_rows(rng, people)
        header.append("source")
    rng.shuffle(rows)
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(header + ["true_person"])
    for i, r in enumerate(rows):
        w.writerow(["R%07d" % (i + 1)] + r)


if __name__ == "__main__":
    main()
