#!/usr/bin/env python3
"""Synthetic Gongkai content for the build benchmark.

    python bench/generate.py --items N --units M --out DIR [--documents D] [--seed S] [--no-procedures]

writes DIR/content/ (an invented county: M units, N power items over all 11 categories, plus
guides, documents and notices) and DIR/mkdocs.yml, which builds it with the project's theme and
plugins exactly as the repository's mkdocs.yml does. The same arguments always give the same
files (seeded random, no clock, no network), and the content passes `gongkai check`.

With procedures (the default) every power item and half of the guides get a `procedure`
(权力运行流程图): mostly a template of the repository's content/_procedures/ chosen by category,
with per-item overrides (岗位, step limits that fit the item's promised limit), about 10% written
out step by step. They come from a random generator of their own, so `--no-procedures` writes
exactly the same content without them (and without content/_procedures/).

`write_plain_site()` writes the comparison site of bench/run.py: plain Material for MkDocs, the
same number of Markdown pages, power-item-like pages of similar text length, a flat navigation.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import os
import random
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
THEME_DIR = REPO / "themes" / "gongkai"

SITE_NAME = "安澜县政务公开"
COUNTY = "安澜县"
# The date content is dated up to; bench/run.py builds "as of" the day after (SOURCE_DATE_EPOCH).
LAST_DAY = dt.date(2026, 6, 30)
BUILD_EPOCH = 1782864000  # 2026-07-01 00:00 UTC

UNIT_TYPES = ["县人民政府", "县直部门", "垂直管理部门", "乡镇", "街道", "职能机构", "村(社区)", "网格"]

# The 11 power categories (plugins/gongkai/model/schema.py POWER_CATEGORIES), their code letters
# and how common each is in a real county list (行政处罚 is about half of every list).
CATEGORIES = {
    "行政许可": ("XK", 10), "行政处罚": ("CF", 45), "行政强制": ("QZ", 5), "行政征收": ("ZS", 2),
    "行政给付": ("JF", 4), "行政检查": ("JC", 10), "行政确认": ("QR", 6), "行政奖励": ("JL", 3),
    "行政裁决": ("CJ", 1), "其他行政权力": ("QT", 8), "公共服务": ("GG", 6),
}

# --- vocabulary --------------------------------------------------------------------------------
# Departments: id, full name without the county, doc_no agency, topic, objects of its powers.
DEPARTMENTS = [
    ("zfb", "人民政府办公室", "府办", "综合政务\\政务公开", ["政务公开", "政务服务", "12345热线工单", "电子政务外网"]),
    ("fgw", "发展和改革委员会", "发改", "国民经济管理、国有资产监管\\宏观经济", ["固定资产投资项目", "企业投资项目核准", "价格行为", "粮食收购", "重要商品储备"]),
    ("jyj", "教育局", "教", "科技、教育\\教育", ["民办学校", "校外培训机构", "教师资格", "义务教育阶段学校", "学生资助"]),
    ("kgj", "科学技术和工业信息化局", "科工", "工业、交通\\信息产业（含电信）", ["科技成果登记", "无线电台站", "民用爆炸物品", "高新技术企业"]),
    ("gaj", "公安局", "公", "公安、安全、司法\\公安", ["户口登记", "居民身份证", "剧毒化学品购买", "大型群众性活动", "烟花爆竹燃放"]),
    ("mzj", "民政局", "民", "民政、扶贫、救灾\\社会福利", ["社会团体", "民办非企业单位", "养老机构", "殡葬设施", "城乡低保", "临时救助", "地名命名"]),
    ("sfj", "司法局", "司", "公安、安全、司法\\司法", ["法律援助", "人民调解", "基层法律服务工作者", "行政执法证件", "公证"]),
    ("czj", "财政局", "财", "财政、金融、审计\\财政", ["政府采购", "会计代理记账机构", "行政事业性收费票据", "国有资产处置"]),
    ("rsj", "人力资源和社会保障局", "人社", "劳动、人事、监察\\社会保障", ["劳务派遣", "人力资源服务机构", "工伤认定", "失业保险待遇", "职业技能培训补贴", "劳动保障"]),
    ("zrzyj", "自然资源局", "自然资", "国土资源、能源\\土地", ["建设用地", "建设工程规划", "乡村建设规划", "林木采伐", "临时用地", "不动产登记", "矿产资源开采"]),
    ("sthjj", "生态环境分局", "环", "城乡建设、环境保护\\环境监测、保护与治理", ["建设项目环境影响评价", "排污许可", "危险废物转移", "噪声污染", "大气污染"]),
    ("zjj", "住房和城乡建设局", "住建", "城乡建设、环境保护\\城乡建设（含住房）", ["建筑工程施工", "商品房预售", "燃气经营", "物业服务", "房屋租赁", "建筑起重机械"]),
    ("jtj", "交通运输局", "交", "工业、交通\\公路", ["道路运输经营", "出租汽车经营", "公路超限运输", "涉路施工", "道路货物运输"]),
    ("swj", "水务局", "水", "农业、林业、水利\\水利", ["取水许可", "河道管理范围内建设项目", "水土保持方案", "河道采砂", "农村供水"]),
    ("nyj", "农业农村局", "农", "农业、林业、水利\\农业、畜牧业、渔业", ["农药经营", "兽药经营", "种子生产经营", "动物诊疗", "农机驾驶证", "渔业捕捞", "宅基地"]),
    ("swuj", "商务局", "商", "商贸、海关、旅游\\国内贸易（含供销）", ["成品油零售", "单用途商业预付卡", "报废机动车回收", "对外贸易经营者"]),
    ("wlj", "文化广电旅游体育局", "文旅", "文化、广电、新闻出版\\文化", ["营业性演出", "娱乐场所", "互联网上网服务营业场所", "文物保护单位", "高危险性体育项目"]),
    ("wjw", "卫生健康委员会", "卫健", "卫生、体育\\卫生", ["医疗机构执业", "公共场所卫生", "母婴保健技术服务", "生活饮用水卫生", "医师执业", "职业病防治"]),
    ("tyjrj", "退役军人事务局", "退役", "劳动、人事、监察\\军转安置", ["优抚对象", "退役士兵安置", "烈士褒扬", "伤残抚恤"]),
    ("yjglj", "应急管理局", "应急", "市场监管、安全生产监管\\安全生产监管", ["危险化学品经营", "烟花爆竹经营", "非煤矿山", "生产经营单位安全生产", "自然灾害救助"]),
    ("sjj", "审计局", "审", "财政、金融、审计\\审计", ["政府投资项目审计", "经济责任审计", "审计整改"]),
    ("scjgj", "市场监督管理局", "市监", "市场监管、安全生产监管\\工商", ["食品经营", "食品生产", "特种设备", "计量器具", "市场主体登记", "广告发布", "药品零售"]),
    ("tjj", "统计局", "统", "国民经济管理、国有资产监管\\统计", ["统计调查", "统计执法", "统计数据质量"]),
    ("ybj", "医疗保障局", "医保", "劳动、人事、监察\\社会保障", ["定点医药机构", "医疗保障基金", "医疗救助", "异地就医备案"]),
    ("cgj", "城市管理综合执法局", "城管", "城乡建设、环境保护\\城市规划", ["户外广告设置", "占道经营", "城市建筑垃圾处置", "城市绿化", "市政设施"]),
    ("spj", "行政审批服务局", "审批", "综合政务\\电子政务", ["企业设立登记", "工程建设项目", "一件事一次办", "证照分离"]),
    ("xfj", "信访局", "信访", "综合政务\\信访", ["信访事项", "信访复查"]),
    ("dag", "档案馆", "档", "综合政务\\文秘工作", ["档案利用", "档案寄存", "国家重点档案"]),
    ("jgswj", "机关事务管理中心", "机关", "综合政务\\其他", ["公务用车", "办公用房", "公共机构节能"]),
    ("sjglj", "数据管理局", "数", "综合政务\\电子政务", ["政务数据共享", "公共数据开放", "电子证照"]),
    ("lsj", "粮食和物资储备局", "粮", "国民经济管理、国有资产监管\\宏观经济", ["粮食收购资格", "粮食流通", "应急物资储备"]),
    ("qxj", "气象局", "气", "城乡建设、环境保护\\气象、水文、测绘、地震", ["防雷装置设计审核", "施放气球", "气象设施保护"]),
    ("swuj2", "税务局", "税", "财政、金融、审计\\税务", ["发票领用", "纳税信用评价", "税务登记", "涉税专业服务"]),
    ("yczmj", "烟草专卖局", "烟", "市场监管、安全生产监管\\工商", ["烟草专卖零售", "烟草专卖品运输"]),
    ("xfjy", "消防救援大队", "消", "公安、安全、司法\\公安", ["公众聚集场所投入使用、营业前消防安全检查", "消防设施", "火灾隐患"]),
]
VERTICAL = {"swuj2", "qxj", "yczmj", "xfjy", "sthjj"}

PLACE_CHARS = "清河云石白龙新桃凤松青金马长永平双梅柳高黄大东西南北安和兴隆富华宝泉溪岭坪湾塘桥沙林山"
PLACE_SUFFIX = ["水", "西", "岭", "桥", "沙", "门", "安", "源", "鸣", "林", "山", "坝", "湖", "坪", "溪", "塘"]
VILLAGE_WORDS = ["新村", "村", "社区", "居委会"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严莫孔向常汤康易乔赖文"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红梅鹏飞斌宇浩凯秀云建国建华志强海燕春梅晓东文博子涵欣怡"
INTERNAL = ["办公室", "政策法规股", "行政审批股", "综合执法大队", "监督管理股", "规划财务股", "人事教育股",
            "安全监管股", "行业发展股", "综合业务股", "执法监察大队", "信息中心", "服务中心", "督查考核股",
            "项目管理股", "质量监督站", "宣传教育股", "应急管理股"]
TOWN_OFFICES = [("zhzf", "综合行政执法队"), ("bmfw", "便民服务中心"), ("shzl", "社会治理中心"),
                ("dzb", "党政综合办公室"), ("jjfz", "经济发展办公室")]
# 主题分类 of the other units' documents: values of the sample's content/_vocab/topics.yml, copied
# into the generated content.
TOPICS = ["综合政务\\其他", "综合政务\\政务公开", "国民经济管理、国有资产监管\\宏观经济", "国土资源、能源\\土地",
          "农业、林业、水利\\农业、畜牧业、渔业", "城乡建设、环境保护\\城乡建设（含住房）", "民政、扶贫、救灾\\社会福利",
          "公安、安全、司法\\司法", "市场监管、安全生产监管\\工商", "其他"]

LAWS = [
    ("中华人民共和国行政许可法", "法律"), ("中华人民共和国行政处罚法", "法律"), ("中华人民共和国行政强制法", "法律"),
    ("中华人民共和国城乡规划法", "法律"), ("中华人民共和国土地管理法", "法律"), ("中华人民共和国森林法", "法律"),
    ("中华人民共和国食品安全法", "法律"), ("中华人民共和国药品管理法", "法律"), ("中华人民共和国安全生产法", "法律"),
    ("中华人民共和国消防法", "法律"), ("中华人民共和国道路交通安全法", "法律"), ("中华人民共和国公路法", "法律"),
    ("中华人民共和国水法", "法律"), ("中华人民共和国防洪法", "法律"), ("中华人民共和国环境保护法", "法律"),
    ("中华人民共和国大气污染防治法", "法律"), ("中华人民共和国教育法", "法律"), ("中华人民共和国民办教育促进法", "法律"),
    ("中华人民共和国社会保险法", "法律"), ("中华人民共和国劳动合同法", "法律"), ("中华人民共和国就业促进法", "法律"),
    ("中华人民共和国建筑法", "法律"), ("中华人民共和国城市房地产管理法", "法律"), ("中华人民共和国农产品质量安全法", "法律"),
    ("中华人民共和国动物防疫法", "法律"), ("中华人民共和国种子法", "法律"), ("中华人民共和国统计法", "法律"),
    ("中华人民共和国价格法", "法律"), ("中华人民共和国广告法", "法律"), ("中华人民共和国计量法", "法律"),
    ("中华人民共和国产品质量法", "法律"), ("中华人民共和国文物保护法", "法律"), ("中华人民共和国体育法", "法律"),
    ("中华人民共和国传染病防治法", "法律"), ("中华人民共和国老年人权益保障法", "法律"), ("中华人民共和国退役军人保障法", "法律"),
    ("中华人民共和国档案法", "法律"), ("中华人民共和国特种设备安全法", "法律"),
    ("建设工程质量管理条例", "行政法规"), ("城镇燃气管理条例", "行政法规"), ("取水许可和水资源费征收管理条例", "行政法规"),
    ("社会救助暂行办法", "行政法规"), ("工伤保险条例", "行政法规"), ("医疗机构管理条例", "行政法规"),
    ("公共场所卫生管理条例", "行政法规"), ("娱乐场所管理条例", "行政法规"), ("营业性演出管理条例", "行政法规"),
    ("殡葬管理条例", "行政法规"), ("地质灾害防治条例", "行政法规"), ("危险化学品安全管理条例", "行政法规"),
    ("烟花爆竹安全管理条例", "行政法规"), ("城市市容和环境卫生管理条例", "行政法规"), ("物业管理条例", "行政法规"),
    ("市场主体登记管理条例", "行政法规"), ("优化营商环境条例", "行政法规"), ("农药管理条例", "行政法规"),
    ("兽药管理条例", "行政法规"), ("中华人民共和国道路运输条例", "行政法规"), ("医疗保障基金使用监督管理条例", "行政法规"),
    ("澜江省城乡规划条例", "地方性法规"), ("澜江省食品小作坊和食品摊贩管理条例", "地方性法规"),
    ("澜江省河道管理条例", "地方性法规"), ("澜江省安全生产条例", "地方性法规"), ("澜江省城市市容和环境卫生管理条例", "地方性法规"),
    ("澜江省养老服务条例", "地方性法规"), ("澜江省物业管理条例", "地方性法规"),
    ("澜江省行政执法证件管理办法", "规章"), ("澜江省实施《工伤保险条例》办法", "规章"), ("澜江省政府投资项目管理办法", "规章"),
    ("澜江省人民政府关于推行权责清单制度的实施意见", "规范性文件"), ("澜江省行政许可事项清单管理办法", "规范性文件"),
]
ARTICLE_CLAUSES = [
    "从事{o}活动，应当依法向县级以上人民政府有关主管部门提出申请，经审查批准后方可开展",
    "违反本法规定，未经许可擅自从事{o}活动的，由县级以上人民政府有关主管部门责令停止违法行为，没收违法所得，并处一万元以上十万元以下罚款",
    "县级以上地方人民政府有关主管部门负责本行政区域内{o}的监督管理工作，应当建立健全监督检查制度，依法履行监督检查职责",
    "申请人提交的申请材料齐全、符合法定形式，行政机关能够当场作出决定的，应当当场作出书面的行政许可决定",
    "有关主管部门对{o}进行监督检查时，有权查阅、复制有关合同、票据、账簿以及其他有关资料，被检查单位应当予以配合，不得拒绝、阻碍",
    "对违法从事{o}活动的场所、设施或者财物，有关主管部门可以依法实施查封、扣押等行政强制措施",
    "符合条件的申请人可以向户籍所在地或者经常居住地的乡镇人民政府、街道办事处提出申请，由县级人民政府有关部门审核确认",
    "对在{o}工作中做出显著成绩的单位和个人，由县级以上人民政府或者有关部门按照国家有关规定给予表彰和奖励",
    "当事人之间发生{o}争议的，由当事人协商解决；协商不成的，可以申请县级人民政府依法处理",
    "有关主管部门应当将{o}的办理条件、程序、期限以及需要提交的全部材料目录和申请书示范文本等在办公场所公示",
]
CN_NUM = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1..199 in Chinese numerals, as article numbers are written: 第四十二条."""
    if n < 10:
        return CN_NUM[n]
    if n < 20:
        return "十" + (CN_NUM[n % 10] if n % 10 else "")
    if n < 100:
        return CN_NUM[n // 10] + "十" + (CN_NUM[n % 10] if n % 10 else "")
    rest = n % 100
    text = CN_NUM[n // 100] + "百"
    if rest == 0:
        return text
    if rest < 10:
        return text + "零" + CN_NUM[rest]
    return text + (CN_NUM[rest // 10] if rest >= 10 else "") + "十" + (CN_NUM[rest % 10] if rest % 10 else "")


# Power names per category; {o} is an object of the department.
NAME_PATTERNS = {
    "行政许可": ["{o}许可", "{o}审批", "{o}核准", "{o}许可证核发", "{o}许可证变更、延续"],
    "行政处罚": ["对未取得许可擅自从事{o}活动的处罚", "对{o}经营者违反规定擅自变更经营项目的处罚",
              "对{o}中提供虚假材料骗取许可的处罚", "对{o}拒不执行整改决定的处罚",
              "对{o}未按规定建立台账、如实记录的处罚", "对{o}违反安全管理规定的处罚",
              "对{o}中使用不合格设施设备的处罚", "对{o}从业人员未经培训上岗的处罚"],
    "行政强制": ["查封、扣押{o}中涉嫌违法的物品", "对{o}违法建设的强制拆除", "对{o}违法行为的代履行",
              "加处罚款或者滞纳金（{o}）"],
    "行政征收": ["{o}相关行政事业性收费征收", "{o}补偿费征收"],
    "行政给付": ["{o}补助金发放", "{o}生活补贴给付", "{o}救助金给付"],
    "行政检查": ["对{o}的监督检查", "对{o}的“双随机、一公开”抽查", "对{o}安全条件的现场核查"],
    "行政确认": ["{o}登记", "{o}资格认定", "{o}信息变更确认"],
    "行政奖励": ["对{o}工作中作出突出贡献的单位和个人的表彰奖励", "对举报{o}违法行为有功人员的奖励"],
    "行政裁决": ["{o}权属争议裁决", "{o}补偿争议裁决"],
    "其他行政权力": ["{o}备案", "{o}年度报告公示", "{o}信用评价"],
    "公共服务": ["{o}政策咨询", "{o}信息查询", "{o}办事预约服务"],
}
MATERIALS = ["{o}申请表", "申请人身份证明", "营业执照副本复印件", "法定代表人身份证明及授权委托书",
             "经营场所平面布局图及产权证明或者租赁合同", "{o}管理制度文本", "专业技术人员资格证书及劳动合同",
             "主要设施设备清单及检验合格证明", "环境影响评价批复文件", "安全评价报告及专家评审意见",
             "申请人书面承诺书", "相关行业主管部门出具的意见", "近三年无违法违规记录的书面声明",
             "现场照片及位置示意图", "项目可行性研究报告或者项目建议书", "村（居）民委员会出具的证明"]
CONDITIONS = ["申请人具有完全民事行为能力，依法取得市场主体资格", "具有与{o}相适应的场所、设施和设备",
              "配备经专业培训合格的管理人员和技术人员", "建立健全{o}安全管理制度和应急处置预案",
              "符合国土空间规划和相关行业发展规划", "近三年内未因{o}违法行为受到吊销许可证件的处罚",
              "申请材料真实、完整，符合法定形式"]
STAGES_PERMIT = [
    ("受理责任", "公示依法应当提交的材料；一次性告知补正材料；依法受理或者不予受理，不予受理的应当告知理由。"),
    ("审查责任", "对申请人提交的{o}申请材料进行审查，提出审查意见；需要现场核查的，指派两名以上工作人员进行核查。"),
    ("决定责任", "作出准予或者不予许可的决定，法定告知；不予许可的应当书面说明理由，并告知申请人依法享有申请行政复议或者提起行政诉讼的权利。"),
    ("送达责任", "准予许可的，制发许可证件，按规定送达并信息公开；通过政务服务网同步推送办理结果。"),
    ("事后监管责任", "建立实施监督检查的运行机制和管理制度，对{o}开展定期和不定期检查，依法采取相关处置措施。"),
    ("其他责任", "法律法规规章文件规定应履行的其他责任。"),
]
STAGES_PENALTY = [
    ("立案责任", "通过监督检查、投诉举报、上级交办等途径发现{o}违法行为，予以审查，决定是否立案。"),
    ("调查责任", "对立案的案件，指定专人负责，及时组织调查取证，与当事人有直接利害关系的应当回避；执法人员不得少于两人，调查时应出示执法证件。"),
    ("审查责任", "对案件违法事实、证据、调查取证程序、法律适用、处罚种类和幅度、当事人陈述和申辩理由等方面进行审查，提出处理意见。"),
    ("告知责任", "作出行政处罚决定前，书面告知当事人拟作出处罚的事实、理由、依据及依法享有的陈述、申辩和要求听证的权利。"),
    ("决定责任", "制作行政处罚决定书，载明违法事实和证据、处罚依据和内容、申请行政复议或者提起行政诉讼的途径和期限等内容；情节复杂或者重大违法行为给予较重处罚的，应当集体讨论决定。"),
    ("送达责任", "行政处罚决定书按法律规定的方式送达当事人，并按规定在7个工作日内向社会公开。"),
    ("执行责任", "监督当事人在决定的期限内履行生效的行政处罚决定；当事人逾期不履行的，依法申请人民法院强制执行。"),
]
ACCOUNTABILITY = ["对符合法定条件的申请不予受理、不予许可，或者不在法定期限内作出决定的",
                  "对不符合法定条件的申请人准予许可或者超越法定职权作出决定的",
                  "没有法律、法规或者规章依据，或者擅自改变处罚种类、幅度的",
                  "在办理{o}事项过程中，未向当事人、利害关系人履行法定告知义务的",
                  "违反法定程序实施行政检查，或者检查中干扰正常生产经营活动的",
                  "对应当予以制止和处罚的违法行为不予制止、处罚，致使公民、法人或者其他组织的合法权益、公共利益和社会秩序遭受损害的",
                  "索取或者收受他人财物，或者谋取其他利益的",
                  "将罚款、没收的违法所得或者财物截留、私分或者变相私分的",
                  "其他违反法律法规规章文件规定的行为"]
RISKS = ["审查环节降低标准、放宽条件，违规办理{o}事项", "利用职务便利索取、收受申请人财物或者接受宴请",
         "现场核查走过场，未如实记录核查情况", "选择性执法、随意调整处罚幅度", "泄露举报人信息或者案件调查情况",
         "故意拖延办理时限，向申请人暗示中介服务"]
STEPS = ["申请：申请人通过安澜县政务服务网或者县政务服务中心窗口提交申请材料",
         "受理：窗口工作人员对申请材料进行核对，材料齐全、符合法定形式的当场受理，出具受理通知书",
         "审查：承办机构对申请材料进行实质审查，必要时组织现场核查或者专家评审",
         "决定：承办机构提出审查意见，报分管负责人审批后作出决定",
         "办结：制作并送达{o}办理结果，申请人可选择窗口领取或者免费邮寄送达",
         "公开：办理结果在安澜县政务服务网和“信用安澜”网站同步公开"]
SENTENCES = [
    "为深入贯彻落实党中央、国务院关于深化“放管服”改革优化营商环境的决策部署，进一步规范{o}工作，结合本县实际，制定本方案。",
    "各单位要高度重视{o}工作，成立由主要负责同志任组长的工作专班，明确责任分工，细化工作措施，确保各项任务按时落地见效。",
    "到{y}年底，全县{o}工作机制基本健全，办理时限压缩{p}%以上，群众和企业满意度达到95%以上。",
    "全面梳理{o}事项的办理条件、申请材料、办理流程和办理时限，编制标准化办事指南，实行“一次告知、一表申请、一窗受理”。",
    "依托安澜县政务服务网和“安澜通”移动端，推动{o}事项“网上办、掌上办、就近办”，实现申请材料电子化、审批结果电子化。",
    "建立{o}事中事后监管机制，全面推行“双随机、一公开”监管，对抽查发现的问题依法依规处理，并及时向社会公开抽查结果。",
    "县政府督查室将把{o}工作纳入年度绩效考核，定期通报工作进展情况，对工作推进不力、群众反映强烈的单位进行约谈。",
    "各乡镇人民政府、街道办事处要做好{o}下放事项的承接工作，配齐配强工作人员，加强业务培训，确保接得住、管得好。",
    "加强{o}政策宣传解读，通过政府网站、政务新媒体、村（社区）公示栏等多种渠道广泛宣传，营造良好的社会氛围。",
    "本办法自印发之日起施行，有效期五年。此前有关规定与本办法不一致的，以本办法为准。",
    "各单位在执行过程中遇到的问题，请及时向{d}反馈，联系电话：0898-662{n:05d}。",
    "截至{y}年{m}月，全县共办理{o}事项{c}件，按时办结率100%，未发生行政复议和行政诉讼纠错案件。",
]
ROLES = ["网格长", "专职网格员", "兼职网格员", "民警", "楼栋长", "网格指导员"]


@dataclass
class UnitSpec:
    id: str
    name: str
    short: str
    type: str
    code: str
    prefix: str  # power code prefix
    agency: str | None  # doc_no agency (None: issues no numbered documents)
    objects: list[str]
    parents: list[str] = field(default_factory=list)
    order: int = 1000
    internal: list[str] = field(default_factory=list)
    weight: float = 1.0  # share of the power items it holds


def unit_code(index: int) -> str:
    """A unique 18-character 统一社会信用代码-like unit code."""
    return f"11469027MB{index:07d}{'0123456789ABCDEFGHJKLMNPQRTUWXY'[index % 31]}"


def place_names(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    names = []
    while len(names) < count:
        name = rng.choice(PLACE_CHARS) + rng.choice(PLACE_SUFFIX)
        if name not in taken:
            taken.add(name)
            names.append(name)
    return names


def build_units(count: int, rng: random.Random) -> list[UnitSpec]:
    """The county, its departments, towns and streets, their offices, villages and grids."""
    if count < 1:
        raise SystemExit("--units must be at least 1")
    units = [UnitSpec("county", f"{COUNTY}人民政府", "县政府", "县人民政府", unit_code(1), "XZF", "府",
                      ["政务公开", "行政区划调整", "重大行政决策", "土地征收"], order=1, weight=0.5)]
    rest = count - 1
    n_dept = min(len(DEPARTMENTS), round(rest * 0.55)) if rest > 1 else rest
    others = rest - n_dept
    n_town = max(1, round(others * 0.35)) if others else 0
    n_office = round(others * 0.2)
    n_grid = round(others * 0.15)
    n_village = others - n_town - n_office - n_grid
    for i, (uid, name, agency, _topic, objects) in enumerate(DEPARTMENTS[:n_dept]):
        vertical = uid in VERTICAL
        short = "县" + name.replace("委员会", "委").replace("人民政府办公室", "政府办")
        internal = rng.sample(INTERNAL, rng.randint(5, 9))
        units.append(UnitSpec(uid, f"{COUNTY}{name}", short, "垂直管理部门" if vertical else "县直部门",
                              unit_code(len(units) + 1), uid.upper().replace("-", ""), agency, objects,
                              ["county"], 10 + i, internal, 1.0 if vertical else 3.0))
    taken: set[str] = set()
    towns = []
    for i, place in enumerate(place_names(rng, n_town, taken)):
        street = i % 4 == 3
        kind = "街道" if street else ("乡" if i % 5 == 4 else "镇")
        name = f"{COUNTY}{place}{'街道办事处' if street else kind + '人民政府'}"
        objects = ["农村宅基地", "乡村建设规划", "农村危房改造", "城乡低保", "殡葬管理", "森林防火", "村民建房"]
        spec = UnitSpec(f"t{i + 1:02d}", name, place + ("街道" if street else kind), "街道" if street else "乡镇",
                        unit_code(len(units) + 1), f"T{i + 1:02d}", place[0] + "政", objects, ["county"],
                        100 + i, rng.sample(INTERNAL, 5), 1.5)
        units.append(spec)
        towns.append(spec)
    villages = []
    for i in range(n_office):
        town = towns[i % len(towns)]
        key, office = TOWN_OFFICES[(i // len(towns)) % len(TOWN_OFFICES)]
        uid = f"{town.id}-{key}" if i < len(towns) * len(TOWN_OFFICES) else f"{town.id}-{key}{i}"
        units.append(UnitSpec(uid, f"{town.short}{office}", f"{town.short}{office}", "职能机构",
                              unit_code(len(units) + 1), uid.upper().replace("-", ""), None, town.objects,
                              [town.id], 200 + i, [], 0.5))
    for i in range(n_village):
        town = towns[i % len(towns)]
        place = place_names(rng, 1, taken)[0]
        word = rng.choice(VILLAGE_WORDS)
        uid = f"{town.id}-c{i + 1:02d}"
        spec = UnitSpec(uid, f"{town.short}{place}{word}", f"{place}{word}", "村(社区)", unit_code(len(units) + 1),
                        uid.upper().replace("-", ""), None, ["村务公开", "集体经济", "人居环境整治"], [town.id],
                        300 + i, [], 0.3)
        units.append(spec)
        villages.append(spec)
    for i in range(n_grid):
        parent = (villages or towns)[i % len(villages or towns)]
        uid = f"{parent.id}-wg{i + 1:02d}"
        units.append(UnitSpec(uid, f"{parent.short}第{i + 1}网格", f"第{i + 1}网格", "网格", unit_code(len(units) + 1),
                              uid.upper().replace("-", ""), None, ["网格巡查", "矛盾纠纷排查"], [parent.id],
                              400 + i, [], 0.2))
    return units[:count]


# --- text ----------------------------------------------------------------------------------------
def person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))


def phone(rng: random.Random) -> str:
    return f"0898-662{rng.randint(10000, 99999)}"


def paragraph(rng: random.Random, obj: str, sentences: int, dept: str = "政府办") -> str:
    out = []
    for _ in range(sentences):
        out.append(rng.choice(SENTENCES).format(o=obj, y=rng.randint(2022, 2026), p=rng.choice((30, 40, 50)),
                                                d=dept, n=rng.randint(0, 99999), m=rng.randint(1, 12),
                                                c=rng.randint(50, 3000)))
    return "".join(out)


def random_date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def written_date(rng: random.Random, day: dt.date) -> str:
    """Dates the way editors write them: mostly ISO, some in Chinese."""
    return f"{day.year}年{day.month}月{day.day}日" if rng.random() < 0.3 else day.isoformat()


def citation(rng: random.Random, obj: str, kind: str) -> dict:
    law, level = rng.choice(LAWS)
    article = f"第{cn_number(rng.randint(2, 120))}条"
    if rng.random() < 0.4:
        article += f"第{cn_number(rng.randint(1, 3))}款"
    text = rng.choice(ARTICLE_CLAUSES).format(o=obj)
    return {"law": law, "article": f"{article}：{text}。", "level": level, "kind": kind}


# --- records -------------------------------------------------------------------------------------
def cite(rng: random.Random, doc_refs: list[tuple[dt.date, str]], day: dt.date) -> str:
    """A 文号 published before `day` (doc_refs is sorted by date)."""
    count = bisect.bisect_right(doc_refs, (day, "\uffff"))
    return doc_refs[rng.randrange(count)][1] if count else f"澜府发〔{day.year}〕{rng.randint(1, 60)}号"


def power_record(rng: random.Random, unit: UnitSpec, category: str, code: str,
                 doc_refs: list[tuple[dt.date, str]]) -> tuple[dict, str]:
    obj = rng.choice(unit.objects)
    name = rng.choice(NAME_PATTERNS[category]).format(o=obj)
    data: dict = {"code": code, "name": name}
    if rng.random() < 0.2:
        data["sub_items"] = [f"{name}（{s}）" for s in rng.sample(["新办", "变更", "延续", "注销", "补办"], rng.randint(2, 3))]
    data["category"] = category
    data["basis"] = [citation(rng, obj, "设定依据")] + [citation(rng, obj, "实施依据") for _ in range(rng.randint(0, 2))]
    if unit.internal:
        data["handled_by"] = rng.choice(unit.internal)
    data["level"] = rng.choice(["县级", "县级、乡级", "乡级"]) if unit.type != "县直部门" else rng.choice(["县级", "省、市、县三级"])
    stages = STAGES_PENALTY if category in ("行政处罚", "行政强制") else STAGES_PERMIT
    data["responsibilities"] = [{"stage": s, "duty": d.format(o=obj)} for s, d in stages]
    data["accountability"] = [a.format(o=obj) for a in rng.sample(ACCOUNTABILITY, rng.randint(3, 6))]
    data["risks"] = [r.format(o=obj) for r in rng.sample(RISKS, rng.randint(1, 3))]
    data["supervision"] = "县纪委监委派驻纪检监察组监督；县司法局行政执法监督；社会公众通过12345热线投诉举报"
    if rng.random() < 0.5:
        data["supervision_phone"] = phone(rng)
    if category not in ("行政处罚", "行政强制", "行政检查"):
        statutory = rng.choice((5, 10, 15, 20, 30, 60))
        data["statutory_limit"] = statutory
        data["promised_limit"] = max(1, statutory // rng.choice((1, 2, 3, 4)))
        data["materials"] = [m.format(o=obj) for m in rng.sample(MATERIALS, rng.randint(3, 8))]
        data["conditions"] = [c.format(o=obj) for c in rng.sample(CONDITIONS, rng.randint(2, 4))]
        data["place"] = f"{COUNTY}政务服务中心{rng.randint(1, 3)}楼{rng.choice('ABCD')}区{rng.randint(1, 40)}号窗口"
        data["online"] = rng.random() < 0.7
        data["visits"] = rng.choice((0, 0, 1, 1, 2))
    if rng.random() < 0.3:
        data["fee"] = "按照《澜江省行政事业性收费目录清单》规定的标准收取"
    day = random_date(rng, dt.date(2019, 1, 1), dt.date(2021, 12, 31))
    status = [{"action": rng.choice(("新增", "保留")), "date": written_date(rng, day),
               "document": cite(rng, doc_refs, day)}]
    for _ in range(rng.randint(0, 3)):
        day = random_date(rng, day + dt.timedelta(days=30), day + dt.timedelta(days=500))
        if day > LAST_DAY:
            break
        change = {"action": rng.choice(("调整", "下放", "承接", "合并", "保留")), "date": written_date(rng, day),
                  "document": cite(rng, doc_refs, day)}
        if rng.random() < 0.6:
            change["note"] = rng.choice(["依据上位法修改调整设定依据和办理时限。", "下放至各乡镇人民政府、街道办事处实施。",
                                         "与同类事项合并为一项，子项保留。", "承诺时限由法定时限压缩至一半。",
                                         "根据机构改革职责调整，实施主体变更。"])
        status.append(change)
    data["status"] = status
    body = paragraph(rng, obj, rng.randint(1, 3), unit.short)
    return data, body


def unit_record(rng: random.Random, unit: UnitSpec, units: dict[str, UnitSpec]) -> tuple[dict, str]:
    data: dict = {"name": unit.name, "short_name": unit.short}
    if unit.type in ("县直部门", "垂直管理部门") and rng.random() < 0.5:
        data["aliases"] = [unit.short.removeprefix("县"), unit.name.removeprefix(COUNTY)]
    data.update({"type": unit.type, "code": unit.code})
    if unit.parents:
        data["parents"] = unit.parents
    data["order"] = unit.order
    data["functions"] = [f"负责{o}的监督管理工作，{rng.choice(['拟订相关政策措施并组织实施', '依法实施行政许可和行政处罚', '指导乡镇（街道）开展相关工作', '建立健全事中事后监管制度'])}。"
                         for o in unit.objects] + ["完成县委、县政府交办的其他任务。"]
    if unit.internal:
        data["internal_units"] = [{"name": n, "duties": [f"负责{rng.choice(unit.objects)}相关工作。"],
                                   **({"phone": phone(rng)} if rng.random() < 0.5 else {})} for n in unit.internal]
    if unit.type in ("县直部门",) and rng.random() < 0.2:
        data["plaques"] = [f"{COUNTY}{rng.choice(unit.objects)}服务中心"]
    data["address"] = f"{COUNTY}城关镇{rng.choice(['人民路', '解放路', '建设路', '文昌路', '滨江大道'])}{rng.randint(1, 300)}号"
    data["hours"] = "工作日 8:30—12:00，14:30—17:30（法定节假日除外）"
    data["phone"] = phone(rng)
    data["supervision_phone"] = phone(rng)
    data["email"] = f"alx_{unit.id.replace('-', '_')}@anlan.gov.cn"
    data["contacts"] = [{"label": f"{unit.short}服务窗口", "phone": phone(rng),
                         "address": f"{COUNTY}政务服务中心{rng.randint(1, 3)}楼"}]
    if unit.type in ("网格", "村(社区)"):
        data["roster"] = [{"role": role, "name": person(rng), "phone": f"13{rng.randint(100000000, 999999999)}",
                           "area": f"{rng.randint(1, 20)}组、{rng.randint(21, 40)}组",
                           "duties": "负责网格内人口信息采集、矛盾纠纷排查和安全隐患巡查"}
                          for role in rng.sample(ROLES, rng.randint(2, 5))]
    body = paragraph(rng, rng.choice(unit.objects), 2, unit.short)
    return data, body


# --- procedures (权力运行流程图) ------------------------------------------------------------------
PROCEDURES_DIR = REPO / "content" / "_procedures"
# The template each category uses (by the template's `name:`); 行政处罚 sometimes the 简易程序.
CATEGORY_TEMPLATE = {
    "行政许可": "行政许可", "行政处罚": "行政处罚一般程序", "行政检查": "行政检查（双随机一公开）",
    "行政确认": "行政确认", "行政给付": "行政给付", "行政强制": "行政强制", "行政征收": "行政征收",
    "行政奖励": "行政奖励", "行政裁决": "行政裁决", "其他行政权力": "依申请办理", "公共服务": "依申请办理",
}
SIMPLE_PENALTY = ("行政处罚简易程序", 0.2)
WRITTEN_SHARE = 0.1  # items (and guides) with their own written-out steps
GUIDE_SHARE = 0.5  # guides with a procedure
# Posts in the templates that the item's own 承办机构 takes over (`by` overrides).
HANDLER_POSTS = {"业务股室", "执法机构", "监管股室", "案件审理机构", "执法人员（不少于两人）", "社会事务办"}
NAME_VARIANTS = ["（限时办结）", "（容缺受理）", "（并联审批）", "（网上办理）", "（联审联办）", "（帮办代办）",
                 "（告知承诺）", "（集中办理）"]
# Written-out procedures: a main path drawn in order from one of these, plus side steps.
APPLY_PATH = ["网上申请或窗口申请", "材料预审", "受理", "初审", "现场核查", "专家评审", "审查", "复核", "会签",
              "审批", "作出决定", "制证", "送达", "结果公开", "归档"]
ENFORCE_PATH = ["线索登记", "核查线索", "立案审批", "调查取证", "案情分析", "审理", "法制审核", "集体讨论",
                "事先告知", "陈述申辩", "作出决定", "送达", "执行", "结案归档"]
FIX_STEPS = [("补正材料", "材料齐全", "材料不全"), ("补充调查", "事实清楚", "事实不清、证据不足"),
             ("整改后复查", "符合要求", "存在问题需整改"), ("退回修改", "审核通过", "需修改完善"),
             ("补充论证", "论证充分", "论证不充分")]
REJECT_STEPS = [("不予受理，告知理由", "符合受理条件", "不符合受理条件"), ("不予批准，书面告知", "符合法定条件", "不符合法定条件"),
                ("不予立案，告知举报人", "符合立案条件", "不符合立案条件"), ("终止办理，退回材料", "申请有效", "申请人撤回申请"),
                ("移送有权机关处理", "属于本机关管辖", "不属于本机关管辖")]
EXTRA_STEPS = [("组织听证", "一般情形", "当事人申请听证"), ("专家论证", "一般事项", "重大复杂事项"),
               ("联合会商", "单一部门可办", "涉及多个部门"), ("报上级机关备案", "一般情形", "依法需要备案")]
OUTPUTS = ["决定书", "审查意见书", "受理通知书", "送达回证", "现场核查记录", "证明文件", "告知书"]
SIDE_BY = ["综合受理窗口", "法制机构", "分管负责人", "主要负责人", "专家组", "申请人"]


def load_procedure_templates(folder: Path = PROCEDURES_DIR) -> dict[str, dict]:
    """The repository's templates by name: {name: {"file": path, "steps": [...]}}."""
    templates = {}
    for path in sorted(folder.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        templates[data["name"]] = {"file": path, "steps": data["steps"]}
    missing = {t for t in [*CATEGORY_TEMPLATE.values(), SIMPLE_PENALTY[0]] if t not in templates}
    if missing:
        raise SystemExit(f"bench/generate.py: no procedure template named {'、'.join(sorted(missing))} in {folder}")
    return templates


def targets(step: dict) -> list[str]:
    nxt = step.get("next")
    if nxt is None:
        return []
    return [nxt] if isinstance(nxt, str) else [b["to"] for b in nxt]


def longest_simple_path(steps: list[dict], weight: dict[str, int]) -> int:
    """The largest weight sum over paths from the first step that repeat no step.

    At least what `gongkai check` computes (it drops loops by one depth-first walk), so limits
    scaled to fit this fit the check."""
    by_id = {s["id"]: s for s in steps}

    def walk(node: str, seen: frozenset) -> int:
        seen = seen | {node}
        return weight.get(node, 0) + max((walk(t, seen) for t in targets(by_id[node]) if t not in seen), default=0)

    return walk(steps[0]["id"], frozenset())


def fit_limits(prng: random.Random, steps: list[dict], promised: int | None) -> dict[str, int]:
    """Step limits (working days) whose longest path is at most the promised limit; {} without one."""
    if promised is None:
        return {}
    weight = {s["id"]: prng.randint(1, 6) for s in steps if prng.random() < 0.75}
    if not weight:
        return {}
    total = longest_simple_path(steps, weight)
    budget = promised * prng.uniform(0.6, 1.0)
    return {sid: int(w * budget / total) for sid, w in weight.items()} if total else {}


def template_procedure(prng: random.Random, template: str, steps: list[dict], handled_by: str | None,
                       promised: int | None) -> dict:
    """`template:` with overrides: the 承办机构 on the handling steps, limits, now and then a name."""
    overrides: dict[str, dict] = {}
    if handled_by:
        posts = [s for s in steps if s.get("by") in HANDLER_POSTS] or [s for s in steps[1:] if s.get("by") != "申请人"]
        for step in prng.sample(posts, prng.randint(1, len(posts))):
            overrides.setdefault(step["id"], {})["by"] = handled_by
    for sid, days in fit_limits(prng, steps, promised).items():
        overrides.setdefault(sid, {})["limit"] = days
    if prng.random() < 0.25:
        step = prng.choice(steps[1:])
        overrides.setdefault(step["id"], {})["name"] = step["name"] + prng.choice(NAME_VARIANTS)
    if prng.random() < 0.15:
        step = prng.choice(steps)
        overrides.setdefault(step["id"], {})["output"] = [prng.choice(OUTPUTS)]
    procedure: dict = {"template": template}
    if overrides:
        procedure["overrides"] = {s["id"]: overrides[s["id"]] for s in steps if s["id"] in overrides}
    return procedure


def written_procedure(prng: random.Random, enforcement: bool, handled_by: str | None, promised: int | None) -> dict:
    """`steps:` written out: 6–14 steps, a main path, a loop back to correct, a refusal, maybe an extra step."""
    count = prng.randint(6, 14)
    pool = ENFORCE_PATH if enforcement else APPLY_PATH
    extra = count >= 8 and prng.random() < 0.6
    spine_len = min(len(pool), count - 2 - extra)
    names = [pool[i] for i in sorted(prng.sample(range(len(pool)), spine_len))]
    spine = [{"id": f"s{i + 1}", "name": name} for i, name in enumerate(names)]
    # branch points: distinct steps on the main path, none the last (an end)
    points = prng.sample(range(1, spine_len - 1), 2 + extra)  # spine_len >= 4 (>= 5 with the extra step)
    if prng.random() < 0.25:
        points[1] = points[0]  # a three-way branch: go on, correct, or refuse
    side: dict[int, list[dict]] = {}
    branches: dict[int, list[dict]] = {}
    fix_name, ok, bad = prng.choice(FIX_STEPS)
    at = points[0]
    back = prng.randint(0, at)
    side.setdefault(at, []).append({"id": "fix", "name": fix_name, "next": f"s{back + 1}"})
    branches.setdefault(at, [{"to": f"s{at + 2}", "when": ok}]).append({"to": "fix", "when": bad})
    reject_name, ok, bad = prng.choice(REJECT_STEPS)
    at = points[1]
    side.setdefault(at, []).append({"id": "reject", "name": reject_name})
    branches.setdefault(at, [{"to": f"s{at + 2}", "when": ok}]).append({"to": "reject", "when": bad})
    if extra:
        extra_name, ok, bad = prng.choice(EXTRA_STEPS)
        at = points[2]
        side.setdefault(at, []).append({"id": "extra", "name": extra_name, "next": f"s{at + 2}"})
        branches.setdefault(at, [{"to": f"s{at + 2}", "when": ok}]).append({"to": "extra", "when": bad})
    steps: list[dict] = []
    for i, step in enumerate(spine):
        if i in branches:
            step["next"] = branches[i]
        elif i + 1 < spine_len:
            step["next"] = f"s{i + 2}"
        steps.append(step)
        steps += side.get(i, [])
    limits = fit_limits(prng, steps, promised)
    out = []
    for step in steps:
        written = {"id": step["id"], "name": step["name"]}
        if step["id"] in limits:
            written["limit"] = limits[step["id"]]
        if handled_by and step["id"].startswith("s") and prng.random() < 0.4:
            written["by"] = handled_by
        elif prng.random() < 0.15:
            written["by"] = prng.choice(SIDE_BY)
        if prng.random() < 0.2:
            written["output"] = prng.sample(OUTPUTS, prng.randint(1, 2))
        if "next" in step:
            written["next"] = step["next"]
        out.append(written)
    return {"steps": out}


def item_procedure(prng: random.Random, templates: dict[str, dict], category: str, handled_by: str | None,
                   promised: int | None) -> dict:
    if prng.random() < WRITTEN_SHARE:
        return written_procedure(prng, category in ("行政处罚", "行政强制", "行政检查"), handled_by, promised)
    name = CATEGORY_TEMPLATE[category]
    if category == "行政处罚" and prng.random() < SIMPLE_PENALTY[1]:
        name = SIMPLE_PENALTY[0]
    return template_procedure(prng, name, templates[name]["steps"], handled_by, promised)


# --- the content directory -----------------------------------------------------------------------
def dump(path: Path, data: dict, body: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    front = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100000, default_flow_style=False)
    path.write_text(f"---\n{front}---\n{body}\n", encoding="utf-8")


def pick_categories(rng: random.Random, count: int) -> list[str]:
    names = list(CATEGORIES)
    weights = [w for _, w in CATEGORIES.values()]
    chosen = names[:count] + rng.choices(names, weights, k=max(0, count - len(names)))
    rng.shuffle(chosen)
    return chosen


def generate(out: Path, items: int, unit_count: int, documents: int | None = None,
             guides: int | None = None, notices: int | None = None, decisions: int | None = None, seed: int = 2024,
             search: bool | None = None, procedures: bool = True) -> dict:
    """Write out/content and out/mkdocs.yml; return the counts written.

    Procedures draw from a generator of their own (prng), so that with or without them the rest
    of the content is the same, byte for byte."""
    rng = random.Random(seed)
    prng = random.Random(f"{seed}-procedures")
    templates = load_procedure_templates() if procedures else {}
    drawn = {"template": 0, "steps": 0}
    documents = items // 10 if documents is None else documents
    guides = items // 10 if guides is None else guides
    notices = items // 20 if notices is None else notices
    decisions = items * 4 if decisions is None else decisions
    content = out / "content"
    if content.exists():
        shutil.rmtree(content)
    (content / "_vocab").mkdir(parents=True)
    (content / "_vocab" / "unit-types.yml").write_text(
        "# 单位类型，按单位目录中的显示顺序排列\n" + "".join(f"- {t}\n" for t in UNIT_TYPES), encoding="utf-8")
    shutil.copyfile(REPO / "content" / "_vocab" / "topics.yml", content / "_vocab" / "topics.yml")
    if procedures:
        (content / "_procedures").mkdir()
        for template in templates.values():
            shutil.copyfile(template["file"], content / "_procedures" / template["file"].name)
    units = build_units(unit_count, rng)
    by_id = {u.id: u for u in units}
    (content / "index.md").write_text(
        f"{COUNTY}政务公开网站集中公开全县各单位的权责清单、办事指南、政策文件和公示公告。"
        "本站内容由各单位维护，县人民政府办公室统一审核发布。\n", encoding="utf-8")
    for unit in units:
        data, body = unit_record(rng, unit, by_id)
        dump(content / "units" / unit.id / "unit.md", data, body)

    # Documents first: power items' status changes cite them.
    issuers = [u for u in units if u.agency]
    serials: dict[tuple[str, int], int] = {}
    docs: list[dict] = []
    days = sorted(random_date(rng, dt.date(2016, 1, 1), LAST_DAY) for _ in range(documents))
    series_issue = 0
    for k, published in enumerate(days):
        unit = rng.choice(issuers)
        obj = rng.choice(unit.objects)
        topic = next((d[3] for d in DEPARTMENTS if d[0] == unit.id), rng.choice(TOPICS))
        genre, title = rng.choice([
            ("管理办法", f"{unit.name}关于印发《{COUNTY}{obj}管理办法》的通知"),
            ("实施方案", f"{unit.name}关于印发《{COUNTY}{obj}工作实施方案》的通知"),
            ("通知", f"{unit.name}关于做好{published.year}年度{obj}工作的通知"),
            ("通知", f"{unit.name}关于开展{obj}专项整治行动的通知"),
            ("意见", f"{unit.name}关于进一步加强{obj}管理的意见"),
            ("规范性文件", f"{unit.name}关于印发《{COUNTY}{obj}实施细则》的通知"),
        ])
        data: dict = {"title": title}
        if unit.id == "county" and rng.random() < 0.15:
            series_issue += 1
            data.update({"title": f"《政务督查》第{series_issue}期：关于{obj}工作推进情况的督查通报",
                         "series": "政务督查", "issue": series_issue})
            genre = "督查通报"
        else:
            agency = f"安{unit.agency}{'办' if unit.id == 'county' and rng.random() < 0.4 else ''}发"
            key = (agency, published.year)
            serials[key] = serials.get(key, 0) + rng.randint(1, 3)
            data["doc_no"] = f"{agency}〔{published.year}〕{serials[key]}号"
        data.update({"topic": topic, "genre": genre})
        written = published - dt.timedelta(days=rng.randint(0, 20))
        data["written"] = written_date(rng, written)
        data["published"] = written_date(rng, published)
        effective = published + dt.timedelta(days=rng.choice((0, 0, 10, 30)))
        data["effective"] = effective.isoformat()
        validity = "有效"
        if genre in ("管理办法", "规范性文件", "实施方案"):
            expires = effective + dt.timedelta(days=365 * rng.choice((2, 5)))
            data["expires"] = expires.isoformat()
            if expires < LAST_DAY:
                validity = "失效"
        if rng.random() < 0.3:
            data["issuers"] = [unit.id] + [u.id for u in rng.sample(issuers, 2) if u.id != unit.id][:1]
        if rng.random() < 0.3:
            data["implements"] = [f"{rng.choice(['国办发', '澜府发', '澜府办发'])}〔{published.year - rng.randint(0, 3)}〕{rng.randint(1, 120)}号"]
        # Now and then a newer document replaces or amends an older one of the same unit.
        older = [d for d in docs if d["_unit"] == unit.id and d["data"].get("doc_no")
                 and d["data"]["validity"] == "有效"]
        if older and rng.random() < 0.12:
            target = rng.choice(older)
            if rng.random() < 0.5:
                data["supersedes"] = [target["data"]["doc_no"]]
                target["data"]["validity"] = "废止"
                if "doc_no" in data and rng.random() < 0.5:
                    target["data"]["repealed_by"] = data["doc_no"]
            else:
                data["amends"] = [target["data"]["doc_no"]]
                target["data"]["validity"] = "已修订"
        data["validity"] = validity
        data["summary"] = (f"明确{obj}工作的目标任务、职责分工和保障措施，"
                           f"要求各单位{rng.choice(['按时报送工作进展', '加强协调配合', '强化督促检查', '做好政策解读'])}，"
                           f"{rng.choice(['自印发之日起施行', '自发布之日起三十日后施行', '请遵照执行'])}。")[:100]
        data["keywords"] = [obj, genre, rng.choice(["政务公开", "放管服", "营商环境", "依法行政", "基层治理"])]
        slug = f"{published.year}-{k + 1:05d}"
        sections = ["一、总体要求", "二、主要任务", "三、工作步骤", "四、保障措施"][: rng.randint(2, 4)]
        body = [f"各乡镇人民政府、街道办事处，县直各单位：\n\n{paragraph(rng, obj, 2, unit.short)}"]
        for section in sections:
            body.append(f"## {section}\n\n" + "\n\n".join(paragraph(rng, obj, rng.randint(2, 4), unit.short)
                                                          for _ in range(rng.randint(1, 3))))
        body.append(f"**{unit.name}**  \n{published.year}年{published.month}月{published.day}日")
        if rng.random() < 0.05:
            name = f"files/{slug}-fj1.csv"
            data["attachments"] = [{"title": f"附件：{obj}工作任务分解表", "file": name}]
            att = content / "units" / unit.id / "documents" / name
            att.parent.mkdir(parents=True, exist_ok=True)
            att.write_text("序号,任务,责任单位,完成时限\n" + "".join(
                f"{i},{paragraph(rng, obj, 1)[:30]},{rng.choice(issuers).short},{published.year}年{rng.randint(1, 12)}月\n"
                for i in range(1, 11)), encoding="utf-8")
        docs.append({"_unit": unit.id, "slug": slug, "data": data, "body": "\n\n".join(body)})
    for doc in docs:
        data = doc["data"]
        if data.get("repealed_by") and data["validity"] == "有效":
            data["validity"] = "废止"
        # keep the field order editors use: validity after dates
        dump(content / "units" / doc["_unit"] / "documents" / f"{doc['slug']}.md", data, doc["body"])
    doc_refs = [(day, d["data"]["doc_no"]) for day, d in zip(days, docs) if d["data"].get("doc_no")]

    # Power items: spread over the units by weight and over all 11 categories.
    holders = rng.choices(units, [u.weight for u in units], k=items)
    seq: dict[tuple[str, str], int] = {}
    powers: list[tuple[UnitSpec, str, str]] = []
    handlers: dict[str, tuple[str, str | None]] = {}  # code → (category, handled_by)
    for unit, category in zip(holders, pick_categories(rng, items)):
        letters = CATEGORIES[category][0]
        seq[(unit.id, letters)] = seq.get((unit.id, letters), 0) + 1
        code = f"{unit.prefix}-{letters}-{seq[(unit.id, letters)]:04d}"
        data, body = power_record(rng, unit, category, code, doc_refs)
        handlers[code] = (category, data.get("handled_by"))
        if procedures:
            data["procedure"] = item_procedure(prng, templates, category, data.get("handled_by"),
                                               data.get("promised_limit"))
            drawn["steps" if "steps" in data["procedure"] else "template"] += 1
        dump(content / "units" / unit.id / "powers" / f"{code}.md", data, body)
        powers.append((unit, code, data["name"]))

    # Service guides for items people apply for.
    service = [p for p in powers if p[1].split("-")[-2] in ("XK", "QR", "JF", "GG", "QT")] or powers
    for unit, code, name in rng.sample(service, min(guides, len(service))):
        obj = rng.choice(unit.objects)
        statutory = rng.choice((10, 15, 20, 30))
        data = {"title": f"{name}办事指南", "power": code,
                "conditions": [c.format(o=obj) for c in rng.sample(CONDITIONS, 3)],
                "materials": [m.format(o=obj) for m in rng.sample(MATERIALS, rng.randint(4, 8))],
                "steps": [s.format(o=obj) for s in STEPS], "statutory_limit": statutory,
                "promised_limit": statutory // 2, "place": f"{COUNTY}政务服务中心{rng.randint(1, 3)}楼",
                "hours": "工作日 8:30—12:00，14:30—17:30", "online_url": f"https://zwfw.anlan.gov.cn/bs/{code.lower()}",
                "visits": rng.choice((0, 1)), "phone": phone(rng),
                "updated": random_date(rng, dt.date(2023, 1, 1), LAST_DAY).isoformat()}
        if procedures and prng.random() < GUIDE_SHARE:
            category, handled_by = handlers[code]
            data["procedure"] = item_procedure(prng, templates, category, handled_by, data["promised_limit"])
            drawn["steps" if "steps" in data["procedure"] else "template"] += 1
        body = "## 常见问题\n\n" + "\n\n".join(
            f"**问：{q}**\n\n答：{paragraph(rng, obj, 1, unit.short)}"
            for q in rng.sample([f"办理{obj}需要本人到场吗？", "可以委托他人代办吗？", "办理进度如何查询？",
                                 "材料不齐全怎么办？", "办理结果如何领取？"], 2))
        dump(content / "units" / unit.id / "guides" / f"{code.lower()}-bszn.md", data, body)

    # Notices: 公示 with a period, 公告 with an end date; some current, most ended.
    for k in range(notices):
        unit = rng.choice(issuers)
        obj = rng.choice(unit.objects)
        start = random_date(rng, dt.date(2023, 1, 1), LAST_DAY)
        kind = "公示" if rng.random() < 0.75 else "公告"
        data = {"title": f"关于{start.year}年{obj}{rng.choice(['拟认定名单', '拟补助对象', '审查结果', '拟表彰对象'])}的{kind}",
                "kind": kind, "subject": f"{obj}相关单位和个人", "start": start.isoformat()}
        if kind == "公示":
            data["period_days"] = rng.choice((5, 7, 10, 15))
        else:
            data["end"] = (start + dt.timedelta(days=rng.choice((10, 20, 30)))).isoformat()
        data["published"] = start.isoformat()
        data["contact"] = f"{unit.short}，电话 {phone(rng)}"
        rows = "\n".join(f"| {i} | {person(rng)} | {COUNTY}{rng.choice(PLACE_CHARS)}{rng.choice(PLACE_SUFFIX)}村 | "
                         f"{rng.randint(1000, 20000)} |" for i in range(1, rng.randint(8, 30)))
        body = (f"根据有关规定，现将{obj}有关情况予以{kind}。{kind}期间，任何单位和个人对{kind}内容有异议的，"
                f"可以书面或者电话形式向{unit.short}反映，反映情况应当真实、具体，并提供联系方式。\n\n"
                f"| 序号 | 姓名 | 地址 | 金额（元） |\n|---|---|---|---|\n{rows}\n\n{unit.name}  \n{start.year}年{start.month}月{start.day}日")
        dump(content / "units" / unit.id / "notices" / f"{start.year}-{k + 1:05d}.md", data, body)

    # 政府信息公开: the county government and every department disclose, each with a 公开指南 and a
    # 2025 年度报告 (the sample county's, under the body's name: the numbers balance, and the 第二部分
    # counts the sample leaves out are counted from the body's documents). No random draws: the
    # rest of the content stays the same, byte for byte.
    for name in ("disclosure.yml", "disclosure-columns.yml"):
        shutil.copyfile(REPO / "content" / "_vocab" / name, content / "_vocab" / name)
    sample = REPO / "content" / "units" / "county"
    guide = (sample / "disclosure-guides" / "guide.md").read_text(encoding="utf-8")
    report = (sample / "annual-reports" / "2025.md").read_text(encoding="utf-8")
    bodies = [u for u in units if u.type in ("县人民政府", "县直部门")]
    for unit in bodies:
        folder = content / "units" / unit.id
        (folder / "disclosure-guides").mkdir(parents=True, exist_ok=True)
        (folder / "disclosure-guides" / "guide.md").write_text(guide.replace("安澜县人民政府", unit.name),
                                                               encoding="utf-8")
        (folder / "annual-reports").mkdir(exist_ok=True)
        (folder / "annual-reports" / "2025.md").write_text(report.replace("安澜县人民政府", unit.name),
                                                           encoding="utf-8")

    written = write_decisions(content, powers, handlers, decisions, seed)

    write_gongkai_config(out, search)
    counts = {"decisions": written, "units": len(units), "powers": items, "guides": min(guides, len(service)),
              "documents": documents, "notices": notices, "disclosure-guides": len(bodies),
              "annual-reports": len(bodies)}
    if procedures:
        counts.update({"procedure_templates": len(templates), "procedures_from_template": drawn["template"],
                       "procedures_written_out": drawn["steps"]})
    return counts


# 执法决定: 行政处罚 and 行政许可 decisions on the items of those categories, decided over three
# years up to LAST_DAY, so that at the build date most are past their display period (taken down,
# as a county's weekly publications are) and the rest are shown. A generator of their own: the
# rest of the content is the same with or without them.
OFFENCES = ["经营超过保质期的食品", "未按规定公示营业执照", "销售不合格产品", "未取得许可从事经营活动",
            "虚假宣传", "未按规定建立进货查验记录", "违法占用耕地", "未按规定设置安全警示标志"]


def credit_code(rng: random.Random) -> str:
    """A 统一社会信用代码 of the right form (GB 32100): 91 + a division code + 10 characters."""
    chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    # Letters after the division code and at the end: a run of 15 or 18 digits can pass as a
    # 居民身份证号 (by chance), which the sensitive-data rules refuse (a few in 20,000 decisions).
    letters = "ABCDEFGHJKLMNPQRTUWY"
    return "91361130" + rng.choice(letters) + "".join(rng.choice(chars) for _ in range(8)) + rng.choice(letters)


def write_decisions(content: Path, powers: list, handlers: dict, count: int, seed: int) -> int:
    drng = random.Random(f"{seed}-decisions")
    enforced = [(unit, code) for unit, code, _ in powers if handlers[code][0] in ("行政处罚", "行政许可")]
    if not enforced or not count:
        return 0
    shutil.copyfile(REPO / "content" / "_vocab" / "enforcement.yml", content / "_vocab" / "enforcement.yml")
    serials: dict[tuple[str, str, int], int] = {}
    for k in range(count):
        unit, code = drng.choice(enforced)
        kind = handlers[code][0]
        decided = random_date(drng, dt.date(2023, 7, 1), LAST_DAY)
        mark = "罚" if kind == "行政处罚" else "许"
        agency = unit.agency or unit.prefix
        key = (agency, mark, decided.year)  # units may share an agency word: number by the 文号's own prefix
        serials[key] = serials.get(key, 0) + 1
        name = f"{COUNTY}{drng.choice(PLACE_CHARS)}{drng.choice(PLACE_CHARS)}{drng.choice(['商行', '食品店', '建材有限公司', '农业发展有限公司', '餐饮店'])}"
        if kind == "行政处罚":
            amount = drng.choice((500, 2000, 5000, 10000, 30000, 100000))
            outcomes = [{"type": "罚款", "amount": amount}]
            offence = drng.choice(OFFENCES)
        else:
            outcomes = [{"type": "准予许可"}]
            offence = f"{drng.choice(unit.objects)}许可（新办）"
        data = {"doc_no": f"安{agency}{mark}〔{decided.year}〕{serials[key]}号", "kind": kind,
                "power": code, "party": {"name": name, "credit_code": credit_code(drng)}, "offence": offence,
                "basis": [f"《{COUNTY}{drng.choice(unit.objects)}管理办法》第{drng.randint(5, 40)}条"],
                "outcomes": outcomes, "decided": decided.isoformat(),
                "published": (decided + dt.timedelta(days=drng.randint(1, 4))).isoformat()}
        body = f"{name}{offence}一案（事项），本机关依法作出{kind}决定。"
        dump(content / "units" / unit.id / "decisions" / f"{decided.year}-{k + 1:06d}.md", data, body)
    return count


def repo_config() -> dict:
    """The repository's mkdocs.yml: the benchmark builds with its theme, plugins and extensions."""
    class Loader(yaml.SafeLoader):
        pass

    # mkdocs.yml may use tags such as !ENV or !!python/name; keep them as their plain value.
    Loader.add_multi_constructor("", lambda loader, suffix, node: (
        loader.construct_scalar(node) if isinstance(node, yaml.ScalarNode) else
        loader.construct_sequence(node) if isinstance(node, yaml.SequenceNode) else loader.construct_mapping(node)))
    return yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader) or {}


def plugin_name(entry) -> str:
    return entry if isinstance(entry, str) else next(iter(entry))


def with_search(plugins: list, search: bool | None) -> list:
    """search=True adds Material's search plugin, False removes it, None keeps the repository's choice."""
    plugins = [p for p in plugins if search is None or plugin_name(p) != "search"]
    return ["search", *plugins] if search else plugins


def write_gongkai_config(out: Path, search: bool | None = None) -> None:
    """out/mkdocs.yml: the repository's, with the theme directory as an absolute path."""
    config = repo_config()
    theme = dict(config.get("theme") or {})
    if theme.get("custom_dir"):
        theme["custom_dir"] = str((REPO / theme["custom_dir"]).resolve())
    config.update({"theme": theme, "docs_dir": "content", "site_dir": "site"})
    config["plugins"] = with_search(config.get("plugins", ["search", "gongkai/catalog"]), search)
    for key in ("nav", "repo_url", "edit_uri", "extra_css", "extra_javascript", "watch"):
        config.pop(key, None)
    (out / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")


def plain_config(units: list[UnitSpec], search: bool | None = None) -> dict:
    """The repository's settings without Gongkai: no custom_dir, none of the gongkai/ plugins."""
    repo = repo_config()
    theme = {k: v for k, v in (repo.get("theme") or {}).items() if k != "custom_dir"}
    # A language our theme adds (zh-CN: Material's zh, tagged zh-CN) is not there without
    # custom_dir: the plain site takes Material's own, the same words.
    language = str(theme.get("language", ""))
    if (THEME_DIR / "partials" / "languages" / f"{language}.html").is_file():
        theme["language"] = language.split("-")[0]
    plugins = [p for p in repo.get("plugins", ["search"]) if not plugin_name(p).startswith("gongkai")]
    plugins = with_search(plugins, search)
    return {
        "site_name": repo.get("site_name", SITE_NAME),
        "docs_dir": "docs",
        "site_dir": "site",
        "use_directory_urls": repo.get("use_directory_urls", True),
        "strict": False,
        "theme": theme,
        "plugins": plugins,  # an empty list, not a missing key: MkDocs would add search
        "markdown_extensions": repo.get("markdown_extensions", []),
        "nav": [{"首页": "index.md"}] + [{u.short: f"units/{u.id}/index.md"} for u in units],
    }


# --- the plain Material site of bench/run.py -----------------------------------------------------
def power_markdown(data: dict, body: str, unit: UnitSpec) -> str:
    """A power item as an editor would write it by hand for plain MkDocs: what power.html shows."""
    rows = [("事项编码", data["code"]), ("事项名称", data["name"]), ("子项", "；".join(data.get("sub_items", []))),
            ("权力类型", data["category"]), ("实施主体", unit.name), ("承办机构", data.get("handled_by")),
            ("行使层级", data.get("level")), ("法定时限", data.get("statutory_limit")),
            ("承诺时限", data.get("promised_limit")), ("收费依据及标准", data.get("fee", "不收费")),
            ("办理地点", data.get("place")), ("是否网办", "是" if data.get("online") else "否"),
            ("到现场次数", data.get("visits")), ("监督方式", data.get("supervision")),
            ("监督电话", data.get("supervision_phone"))]
    out = [f"# {data['name']}", "", f"**{data['category']}** · 事项编码 {data['code']}", "", "## 基本信息", "",
           "| 项目 | 内容 |", "|---|---|"]
    out += [f"| {k} | {v} |" for k, v in rows if v not in (None, "")]
    out += ["", "## 设定依据", "", "| 依据类型 | 法律法规 | 条款 | 层级 |", "|---|---|---|---|"]
    out += [f"| {c['kind']} | 《{c['law']}》 | {c['article']} | {c['level']} |" for c in data["basis"]]
    for key, title, mark in (("conditions", "办理条件", "-"), ("materials", "申请材料", "1.")):
        if data.get(key):
            out += ["", f"## {title}", ""] + [f"{mark} {v}" for v in data[key]]
    out += ["", "## 责任事项", "", "| 环节 | 责任事项 |", "|---|---|"]
    out += [f"| {r['stage']} | {r['duty']} |" for r in data["responsibilities"]]
    out += ["", "## 追责情形", ""] + [f"1. {v}" for v in data["accountability"]]
    out += ["", "## 廉政风险点", ""] + [f"- {v}" for v in data["risks"]]
    out += ["", "## 动态调整", "", "| 日期 | 调整类型 | 依据文件 | 说明 |", "|---|---|---|---|"]
    out += [f"| {s['date']} | {s['action']} | {s.get('document', '')} | {s.get('note', '')} |" for s in data["status"]]
    out += ["", "## 说明", "", body, ""]
    return "\n".join(out)


def write_plain_site(out: Path, pages: int, unit_count: int, seed: int = 2024, search: bool | None = None) -> dict:
    """Plain Material: `pages` Markdown pages (home, one page per unit, the rest item pages)."""
    rng = random.Random(seed + 1)
    units = build_units(unit_count, rng)
    docs = out / "docs"
    if docs.exists():
        shutil.rmtree(docs)
    docs.mkdir(parents=True)
    (docs / "index.md").write_text(f"# {SITE_NAME}\n\n{COUNTY}政务公开网站集中公开全县各单位的权责清单、办事指南、"
                                   "政策文件和公示公告。\n\n" + "\n".join(f"- [{u.short}](units/{u.id}/index.md)" for u in units)
                                   + "\n", encoding="utf-8")
    items = max(0, pages - 1 - len(units))
    refs = [(dt.date(y, 1, n), f"安府发〔{y}〕{n}号") for y in range(2016, 2026) for n in range(1, 29)]
    listed: dict[str, list[tuple[str, str, str]]] = {u.id: [] for u in units}
    names = pick_categories(rng, items)
    for i in range(items):
        unit = units[i % len(units)]
        code = f"{unit.prefix}-{CATEGORIES[names[i]][0]}-{i + 1:05d}"
        data, body = power_record(rng, unit, names[i], code, refs)
        path = docs / "units" / unit.id / "items" / f"{code}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(power_markdown(data, body, unit), encoding="utf-8")
        listed[unit.id].append((code, data["name"], names[i]))
    for unit in units:
        data, body = unit_record(rng, unit, {})
        text = [f"# {unit.name}", "", "| 项目 | 内容 |", "|---|---|"]
        text += [f"| {k} | {data[f]} |" for k, f in (("简称", "short_name"), ("单位类型", "type"), ("地址", "address"),
                                                     ("办公时间", "hours"), ("咨询电话", "phone"),
                                                     ("监督电话", "supervision_phone"))]
        text += ["", "## 主要职责", ""] + [f"1. {f}" for f in data["functions"]] + ["", body, "", "## 权责清单", "",
                                                                                 "| 事项编码 | 事项名称 | 权力类型 |", "|---|---|---|"]
        text += [f"| {c} | [{n}](items/{c}.md) | {k} |" for c, n, k in listed[unit.id]]
        path = docs / "units" / unit.id / "index.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(text) + "\n", encoding="utf-8")
    config = plain_config(units, search)
    (out / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return {"pages": 1 + len(units) + items, "units": len(units), "items": items}


# --- git history (bench/history.py) ----------------------------------------------------------------
def make_history(out: Path, commits: int) -> dict:
    """Make out/ a git repository in which every power item and guide has `commits` commits.

    The first commit adds the content as generate() wrote it; each later one edits two fields of
    every item and guide (监督电话 or 咨询电话, and 办理地点), as a county's yearly review would. The
    first and the last commit are tagged release-*, so the 清单动态调整 page compares them all.
    Dates and identities are fixed: the same arguments give the same commits."""
    import subprocess

    def git(*args: str, date: str = "2020-01-01") -> None:
        env = {**os.environ, "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.invalid",
               "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.invalid",
               "GIT_AUTHOR_DATE": f"{date}T12:00:00+08:00", "GIT_COMMITTER_DATE": f"{date}T12:00:00+08:00",
               "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}
        subprocess.run(["git", *args], cwd=out, env=env, check=True, capture_output=True)

    shutil.rmtree(out / ".git", ignore_errors=True)
    (out / ".gitignore").write_text("site/\nsite.building/\n.cache/\n", encoding="utf-8")
    git("init", "-q", "-b", "main")
    files = sorted((out / "content" / "units").glob("*/powers/*.md")) + sorted(
        (out / "content" / "units").glob("*/guides/*.md"))
    for number in range(1, commits + 1):
        date = f"{2020 + number}-03-01"
        if number > 1:
            for path in files:
                phone = "supervision_phone" if "/powers/" in path.as_posix() else "phone"
                text = set_field(path.read_text(encoding="utf-8"), phone, f"0898-6{number:02d}{hash_digits(path)}")
                text = set_field(text, "place", f"{COUNTY}政务服务中心{number}号窗口")
                path.write_text(text, encoding="utf-8")
        git("add", "-A", date=date)
        git("commit", "-q", "-m", f"{2020 + number}年度清单调整" if number > 1 else "建立权责清单", date=date)
        if number in (1, commits):
            git("tag", f"release-{2020 + number}", date=date)
    return {"commits": commits, "files_with_history": len(files)}


def hash_digits(path: Path) -> str:
    return f"{sum(path.as_posix().encode()) % 100000:05d}"


def set_field(text: str, name: str, value: str) -> str:
    """The front matter with a top-level scalar field set (replaced, or added before the closing ---)."""
    head, sep, body = text[4:].partition("\n---\n")
    lines = head.split("\n")
    for i, line in enumerate(lines):
        if line.startswith(f"{name}:"):
            lines[i] = f"{name}: {value}"
            break
    else:
        lines.append(f"{name}: {value}")
    return "---\n" + "\n".join(lines) + sep + body


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, required=True, help="number of power items (N)")
    parser.add_argument("--units", type=int, required=True, help="number of units (M)")
    parser.add_argument("--out", type=Path, required=True, help="output directory (gets content/ and mkdocs.yml)")
    parser.add_argument("--documents", type=int, default=None, help="number of documents (default N//10)")
    parser.add_argument("--guides", type=int, default=None, help="number of service guides (default N//10)")
    parser.add_argument("--notices", type=int, default=None, help="number of notices (default N//20)")
    parser.add_argument("--decisions", type=int, default=None, help="number of 执法决定 (default 4N)")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--search", action=argparse.BooleanOptionalAction, default=None,
                        help="add (or drop) Material's search plugin; default: as the repository's mkdocs.yml")
    parser.add_argument("--procedures", action=argparse.BooleanOptionalAction, default=True,
                        help="give every power item and half of the guides a procedure (default); "
                             "--no-procedures: the same content without them")
    parser.add_argument("--history", type=int, default=0, metavar="K",
                        help="make --out a git repository where every item and guide has K commits")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    counts = generate(args.out, args.items, args.units, args.documents, args.guides, args.notices, args.decisions,
                      args.seed, args.search, args.procedures)
    if args.history:
        counts.update(make_history(args.out, args.history))
    print(", ".join(f"{v} {k}" for k, v in counts.items()) + f" -> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
