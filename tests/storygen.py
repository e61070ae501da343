"""Generated syndicated copies and same-topic non-copies (issue 20), deterministic (seeded).

A topic is a handful of names and terms (英伟达, 出口管制 …); a story is sentences of random
words around them. A *copy* of a story is the same text with other page junk around it, in
Traditional script, truncated to its first paragraphs, or lightly edited (a few words changed,
a sentence dropped, other digits and punctuation). A *non-copy* on the same topic is another
story on the same topic: the same names and terms, a quoted sentence in common, other reporting.
"""

from __future__ import annotations

import random

HAN = "的国中在一美能了人是不大新出上技工和模用制力年有智这产业片来算型管公到芯方要发本高市多成个部全更下口我开为科可者家于时以理前司就实心而也关们生经地说比对文化最分商位内代推论但已电数看持加领小日法机相度政展闻量源点场月主合会自网行供期之作研面体正重企域布得从表现提定等明台动基服户三进入需应先平评回信后球很过务都外系没注建核器资同术将通如收越些海求策客其被投与规首竞去报受言创还特据起程价性问限次他件存长速号息反争把设间再至落果安造军向并申集未普里然联快第观京告接卡施两题值只步难斯式议路景训练头么导今做子手使着半续复单示让超样学治目媒几底容效率查达近当及权留所天道金利计澎北西局端立话江案真股章远湃直约十低补估少备降州办支认二走突易究厂战却深才请或装升意哪门元事级各条互带讯读讨料益节沿完好编影格无享亿码流仅身因仍封足段态跑打差项张随形储赞决又什录署载增晶品整想朗财车验础指交采线东任每责老招万占批知参谁白追优视名港软员许取赛汽阅变短总声必依民击际控根具你结此荐硬己由府清处搜调史济育距购举热广解放贴字构费紧版转微登何消潮士欢破即活密承官致水博层堆华浪群错沃坛腾察便区运图给充风往英社券原印试简象租该质辑藏周友早乎甚迎界证列伺背材概思宽马狐游否强历氪页常光架私措划例按记传靠那窗物七略篇见判它跟专谷红空保城选抄命融势世乐房佳始标队显遍拼种免怎盛纽精隐称负响买且截答吗别顶松防香像包序初硅找够句良室顾焦"
EN_WORDS = ("the of and to in a is that for on with as was by at said it from an be this are have has "
            "which its not but were they their or more been will would after new also about company chips "
            "market government officials report data models training power years people could than other "
            "into first two week industry policy analysts export technology firms over billion last since "
            "while plan deal use because most some when what growth sales demand supply rules chinese american "
            "investors companies researchers year month quarter share shares percent higher lower rise fall "
            "cut talks trade tariffs control controls access advanced systems software hardware build built "
            "launch launched release released open source engineers cloud service services customers").split()
ZH_TOPICS = [("英伟达", "芯片", "出口管制", "美国商务部"), ("华为", "昇腾", "算力", "数据中心"),
             ("深度求索", "大模型", "开源", "训练成本"), ("台积电", "先进制程", "晶圆", "产能"),
             ("百度", "文心", "自动驾驶", "萝卜快跑"), ("阿里", "通义", "云计算", "开发者")]
EN_TOPICS = [("Nvidia", "H20", "export controls", "Commerce Department"), ("Huawei", "Ascend", "compute", "data centers"),
             ("DeepSeek", "R2", "open weights", "training cost"), ("TSMC", "Arizona", "2nm", "capacity"),
             ("OpenAI", "GPT", "Stargate", "Abilene"), ("Anthropic", "Claude", "safety", "Amazon")]
JUNK_ZH = [["首页 > 科技 > 人工智能", "分享到：微信 微博"], ["（本文来自网易号，仅代表作者观点）"],
           ["责任编辑：王小明", "点击关注我们"], ["来源：搜狐科技", "阅读 3.2万"]]
JUNK_EN = [["Home > Tech", "Share this article"], ["This story was syndicated from a partner site."],
           ["Edited by Jane Roe", "Sign up for our newsletter"], ["Source: Wire", "3 min read"]]


def _zh_word(r: random.Random) -> str:
    return "".join(r.choice(HAN) for _ in range(r.choice((1, 2, 2, 2, 3, 4))))


def _zh_sentence(r: random.Random, topic: tuple) -> str:
    words = [_zh_word(r) for _ in range(r.randint(5, 11))]
    for _ in range(r.randint(1, 2)):
        words.insert(r.randrange(len(words) + 1), r.choice(topic))
    if r.random() < 0.3:
        words.insert(r.randrange(len(words) + 1), str(r.randint(2, 2030)))
    cut = r.randrange(2, len(words))
    return "".join(words[:cut]) + "，" + "".join(words[cut:]) + "。"


def _en_sentence(r: random.Random, topic: tuple) -> str:
    words = [r.choice(EN_WORDS) for _ in range(r.randint(9, 20))]
    for _ in range(r.randint(1, 2)):
        words.insert(r.randrange(len(words) + 1), r.choice(topic))
    if r.random() < 0.3:
        words.insert(r.randrange(len(words) + 1), str(r.randint(2, 2030)))
    s = " ".join(words)
    return s[0].upper() + s[1:] + "."


def story(r: random.Random, zh: bool, topic: tuple, paragraphs: int | None = None, quote: str = "") -> list[str]:
    """A story: a list of paragraphs (a shared quote among them when given)."""
    make = _zh_sentence if zh else _en_sentence
    paras = []
    for _ in range(paragraphs or r.randint(4, 9)):
        paras.append(("" if zh else " ").join(make(r, topic) for _ in range(r.randint(2, 4))))
    if quote:
        paras.insert(r.randint(1, len(paras)), quote)
    return paras


def quote(r: random.Random, zh: bool, topic: tuple) -> str:
    """A statement every outlet on the topic quotes."""
    return (f"{topic[3]}发言人表示：“" + _zh_sentence(r, topic) + "”") if zh else \
        (f'"{_en_sentence(r, topic)}" a {topic[3]} spokesperson said.')


def with_junk(r: random.Random, paras: list[str], zh: bool) -> list[str]:
    top, bottom = r.sample(JUNK_ZH if zh else JUNK_EN, 2)
    return top + paras + bottom


def traditional(paras: list[str]) -> list[str]:
    import opencc

    cc = opencc.OpenCC("s2t")
    return [cc.convert(p) for p in paras]


def truncated(r: random.Random, paras: list[str], zh: bool) -> list[str]:
    keep = max(1, round(len(paras) * r.uniform(0.2, 0.5)))
    return paras[:keep] + (["阅读全文 >>"] if zh else ["Read more »"])


def edited(r: random.Random, paras: list[str], zh: bool, topic: tuple) -> list[str]:
    """A few words changed, maybe one sentence dropped, other digits and punctuation."""
    out = []
    for p in paras:
        if zh:
            chars = list(p)
            for _ in range(max(1, len(chars) // 60)):
                i = r.randrange(len(chars))
                if chars[i] in HAN:
                    chars[i] = r.choice(HAN)
            p = "".join(chars).replace("，", ",", 1)
        else:
            words = p.split(" ")
            for _ in range(max(1, len(words) // 40)):
                words[r.randrange(len(words))] = r.choice(EN_WORDS)
            p = " ".join(words).replace(",", ";", 1)
        out.append("".join("7" if c.isdigit() and r.random() < 0.3 else c for c in p))
    if len(out) > 4 and r.random() < 0.5:
        del out[r.randrange(1, len(out))]
    return out


KINDS = ("junk", "traditional", "truncated", "edited")


def copy_of(r: random.Random, paras: list[str], zh: bool, topic: tuple, kind: str) -> list[str]:
    if kind == "junk":
        return with_junk(r, paras, zh)
    if kind == "traditional":
        return traditional(with_junk(r, paras, zh)) if zh else with_junk(r, edited(r, paras, zh, topic), zh)
    if kind == "truncated":
        return with_junk(r, truncated(r, paras, zh), zh)
    return with_junk(r, edited(r, paras, zh, topic), zh)


def evaluation_set(seed: int = 20, topics: int = 60) -> tuple[dict[str, str], set, set]:
    """({name: body}, copy pairs, same-topic non-copy pairs). Each topic has one story with
    four copies (junk, Traditional or an edited English one, truncated, edited) and three other
    stories on the same topic quoting the same statement."""
    r = random.Random(seed)
    bodies: dict[str, str] = {}
    copies, others = set(), set()
    for t in range(topics):
        zh = t % 2 == 0
        topic = (ZH_TOPICS if zh else EN_TOPICS)[t // 2 % 6]
        q = quote(r, zh, topic)
        original = story(r, zh, topic, quote=q)
        story_names = [f"t{t:03d}-a.md"]
        bodies[story_names[0]] = "\n\n".join(original)
        for kind in KINDS:
            name = f"t{t:03d}-a-{kind}.md"
            bodies[name] = "\n\n".join(copy_of(r, original, zh, topic, kind))
            story_names.append(name)
        for x in story_names:
            for y in story_names:
                if x < y:
                    copies.add((x, y))
        rivals = []
        for k in range(3):
            name = f"t{t:03d}-other{k}.md"
            bodies[name] = "\n\n".join(with_junk(r, story(r, zh, topic, quote=q), zh))
            rivals.append(name)
        for y in rivals:
            for x in story_names + rivals:
                if x != y:
                    others.add(tuple(sorted((x, y))))
    return bodies, copies, others
