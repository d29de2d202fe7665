"""The catalog in Chinese (zh-CN): every entry of words.EN, as a Chinese sales engineer writes it.

Imported only when Chinese is asked for. Each entry keeps its EN entry's fields; a count stays a
pair (one, other), both forms alike in Chinese. The program fills in money as ¥483,611.75, dates
as 2026年11月22日 and shares as 30%: no 元 after a money field. Options: 标准方案, 定制开发,
产品化方案; NRE: 一次性开发费（NRE）; contingency: 不可预见费; risk reserve: 估算风险准备金.
"""

from __future__ import annotations

ZH: dict[str, str | tuple[str, str]] = {  # words.Entry: this module imports nothing
    # --- the options ---------------------------------------------------------------------------
    "option.standard": "标准方案",
    "option.standard_coaching": "标准方案 + 技术辅导",
    "option.productize": "产品化方案",
    "option.custom": "定制开发",
    "option.describe.standard_coaching": "{name} + {days}技术辅导",
    "option.describe.productize": "纳入标准平台的下一版本；贵司分担一次性开发费的 {share}",
    "option.describe.custom": "为贵司专门开发；合同期内收取升级费",
    # --- counts --------------------------------------------------------------------------------
    "count.day": ("{n} 天", "{n} 天"),
    "count.week": ("{n} 周", "{n} 周"),
    "count.year": ("{n} 年", "{n} 年"),
    "count.upgrade": ("{n} 次升级", "{n} 次升级"),
    "count.person_week": ("{n} 人周", "{n} 人周"),
    "count.platform_upgrade": ("{n} 次平台升级", "{n} 次平台升级"),
    "time.weeks_and_days": "{weeks} {days}",  # 16 周 3 天
    # --- escalation: after a price, after 每年 4 次升级 or 按年计 ---------------------------------
    "rise.internal": "，价格每年上调 {ratio}",
    "rise.customer": "，价格逐年上调",
    # --- the buyer's sentences (SPEC 7's lifetime view) ---------------------------------------
    # {standard} follows 比: "定制开发比选用标准方案多花 …"
    "compare.standard": "选用标准方案",
    "compare.standard_coaching": "选用标准方案加技术辅导",
    "sentence.custom_more": "按含税价计，{years}内定制开发的总费用比{standard}高出 {amount}。",
    "sentence.custom_less": "按含税价计，{years}内定制开发的总费用比{standard}低 {amount}。",
    "sentence.custom_same": "按含税价计，{years}内定制开发与{standard}的费用相同。",
    "sentence.upgrades_pass_nre": (
        "定制开发仅升级费一项，累计 {upgrades}后即超过一次性开发费 {nre}。"
    ),
    "sentence.productize_less": (
        "按含税价计，{years}内产品化方案比定制开发少花 {amount}，且不收升级费；"
        "上线时间为 {productize_time}，定制开发为 {custom_time}。"
    ),
    "sentence.productize_more": (
        "按含税价计，{years}内产品化方案比定制开发多花 {amount}，但不收升级费；"
        "上线时间为 {productize_time}，定制开发为 {custom_time}。"
    ),
    # --- the quote's figures by name, and their details (the terminal view, --explain, CSV) ----
    "figure.build": "开发",
    "figure.build_subtotal": "开发小计",
    "figure.reserve": "估算风险准备金",
    "figure.floor": "区间项不可预见费",
    "figure.charge": "区间项计提",
    "figure.contingency": "不可预见费",
    "figure.nre": "一次性开发费（NRE）",
    "figure.per_upgrade": "每次升级",
    "figure.cost_per_upgrade": "每次平台升级费用",
    "figure.maintenance_total": "升级费合计",
    "figure.services_total": "服务费合计",
    "figure.subtotal": "小计",
    "figure.discount": "折扣",
    "figure.net": "不含税净额",
    "figure.tax": "税费",
    "figure.total": "合计",
    "figure.onboarding_fee": "接入费",
    "figure.coaching": "技术辅导",
    "figure.detailed": "{figure}（{detail}）",  # 税费（6%）· 升级单价（第 2 年度）
    "figure.year": "第 {year} 年",  # a row or column of its own
    "figure.in_year": "第 {year} 年度",  # a detail within a row: differs from the above
    "figure.confidence": "{level} 置信度",
    "figure.weeks": "{weeks} 周",
    "figure.single_point": "单点估算项",
    # --- the terminal view ---------------------------------------------------------------------
    "view.quote": "报价单 {id}",
    "view.dates": "日期 {date} · 有效期至 {valid_until}",
    "view.rate_card": "费率表 {name} {version}（{path}）· {currency}",
    "view.amounts_in": "币种：{currency}",
    "view.column.item": "项目",
    "column.role": "角色",
    "view.column.derivation": "计算依据",
    "column.amount": "金额",
    "column.option": "方案",
    "column.time_to_value": "上线时间",
    "column.one_time": "一次性费用",
    "column.total_incl_tax": "含税合计",
    "column.upgrade_risk": "升级风险",
    "column.year": "年份",
    "view.column.to_date": "累计",
    "view.column.weeks": "周数（乐观/最可能/悲观）",
    "view.column.mean": "均值",
    "view.column.at_mean": "按均值金额",
    "view.engineers": "{engineers} 人",
    "view.per_week": "{rate}/人周",
    "view.breakdown": "定制开发费用明细",
    "view.one_time": "一次性",
    "figure.ranges_at_mean": "区间项均值",
    "view.reserve": "P{level} − 均值",
    "view.share_of": "{base}的 {share}",  # 小计金额的 6%
    "figure.base_build": "开发费用",
    "view.base.subtotal": "小计金额",
    "view.base.net": "折后净额",
    "view.on_every_upgrade": "每次平台升级时",
    "view.year_one_price": "第 1 年价格",
    "figure.upgrade_charges": "升级费",
    "view.upgrades_per_year": ("每年 {n} 次升级{rise}", "每年 {n} 次升级{rise}"),
    "view.services": "服务费",
    "view.per_year": "按年计{rise}",
    "view.subtotal": "一次性开发费 + 升级费",
    "view.subtotal_services": "一次性开发费 + 升级费 + 服务费",
    "flag.figure": "{figure}【需审批】",
    "view.ladder": "{years}内的可选方案",
    "view.lifetime": "累计费用（含税）",
    "view.ranges": "区间工作量，按 {confidence}计价",
    "view.ranges_mean": "区间项按均值计（P50）",
    "view.z": "z {z} × σ",
    "view.reserve_applies": "{level} ≥ {floor}（{share}）",
    "view.floor_applies": "{share} > {reserve}（{level}）",
    "view.ranges_priced": "区间项计价结果",
    "view.plus_reserve": "均值 + 风险准备金",
    "view.plus_floor": "均值 + 不可预见费",
    "flag.needs_approval": "【需审批】",
    # --- --explain -----------------------------------------------------------------------------
    "explain.title": "各项金额的计算方法（{round}：按最小货币单位四舍五入）",
    "explain.column.figure": "金额项",
    "explain.column.formula": "计算公式",
    "explain.round": "舍入",
    "explain.part": "{whole}：{part}",  # 开发：数据湖加载器 · 定制开发：第 2 年度
    "explain.sum": ("以上 {n} 项之和", "以上 {n} 项之和"),
    "explain.sigma_total": "区间项的 σ",
    "explain.sigma_formula": "{round}(√(Σ σ²))，各 σ 不先舍入：平方和开方",
    "explain.z_formula": "置信度 {confidence} 对应的标准正态分位数，保留 6 位小数",
    "symbol.sigma": "σ",
    "symbol.z": "z",
    "explain.base.build_subtotal": "开发小计金额",
    "column.unit_price": "升级单价",
    "column.upgrades": "升级",
    "explain.custom_total": "定制开发合计",
    "heading.payment": "付款安排",
    "explain.one_time_part": "一次性部分",
    "explain.apportioned": "{total} × {cost} ÷ {costs}，按最大余数法分配",
    "explain.milestone": "{share} × 一次性部分 {amount}，按最大余数法分配",
    "explain.year_parts": "{parts}：总价中属于该年度的部分",
    "explain.carry.reserve": "max(风险准备金 {reserve}, 不可预见费 {floor})：取风险准备金",
    "explain.carry.contingency": "max(风险准备金 {reserve}, 不可预见费 {floor})：取不可预见费",
    "explain.from_rate_card": "取自费率表",
    "explain.standard_total": "标准方案合计",
    "explain.custom_less_standard": "定制开发与标准方案之差",
    "explain.options": "合同期内各方案",
    "explain.cofunding": "分担费用",
    "explain.of_nre": "一次性开发费 {amount}",
    "explain.total": "总计",
    "explain.one_time": "一次性费用 {amount}",
    "explain.recurring": "持续费用 {amount}",
    "explain.discount": "折扣 {amount}",
    "explain.tax": "税费 {amount}",
    "explain.all_in_year_one": "全部计入第 1 年；以后各年为零",
    "explain.charges_after": "{upgrades}后的累计升级费",
    "explain.charges_added": (
        "第 {n} 次升级的价格；超过一次性开发费 {nre}",
        "第 1 至 {n} 次升级的价格之和；超过一次性开发费 {nre}",
    ),
    # --- CSV: the task cells that name a figure (headers, sections and units stay codes) ------
    "csv.discount": "小计的 {rate}",
    "csv.cofunding": "分担费用：定制开发 NRE 的 {share}",
    # --- documents: the head -------------------------------------------------------------------
    "document.title": "报价单 {id}：{title}",
    "document.kicker": "合同附件 · 报价单 {id}",
    # The HTML splits this at {page} and {pages}: keep them in this order.
    "document.page_footer": "报价单 {id} · 第 {page} 页，共 {pages} 页",
    "document.internal": "内部文件：请勿提供给客户。",
    "document.internal_shows": "本视图列出各角色费率、比例及审批标记。",
    "flag.discount_above_limit": "折扣 {rate} 超过费率表规定的上限 {limit}。",
    "fact.customer": "客户",
    "fact.supplier": "供应商",
    "fact.address": "地址",
    "fact.contact": "联系人",
    "fact.tax_id": "统一社会信用代码",
    "fact.prepared_by": "报价人",
    "fact.date": "日期",
    "fact.date_assumed": "{date}（估算文件未注明日期，取生成当日）",
    "fact.valid_until": "有效期至",
    "fact.amounts_in": "币种",
    "fact.rate_card": "费率表",
    # --- documents: headings -------------------------------------------------------------------
    "heading.options": "可选方案",
    "heading.side_by_side": "标准方案与定制开发对比",
    "heading.over_the_years": "逐年费用",
    "heading.custom_work": "定制开发内容",
    "heading.one_time": "一次性开发工作（NRE）",
    "heading.every_upgrade": "每次平台升级的兼容性测试",
    "heading.upgrade_charges": "升级费：每年 {upgrades}，共 {term}",
    "heading.services": "服务费（按年）",
    "heading.custom_price": "定制开发价格",
    "heading.standard_option": "标准方案：{name}",
    "heading.assumptions": "前提假设",
    "heading.exclusions": "除外事项",
    "heading.terms": "商务条款",
    "heading.acceptance": "确认签署",
    # --- documents: standard and custom side by side (the terminal's too) ------------------------
    "side.custom_build": "专属定制开发",
    "side.time_to_go_live": "上线所需时间",
    "side.one_time": "一次性费用（不含税）",
    "side.included": "已包含",
    "side.upgrades": "{term}内平台升级次数",
    "side.upgrades_included": "{n} 次，已包含",
    "side.upgrades_charged": "{n} 次，另行收费",
    "side.total": "{term}含税合计",
    "side.risk": "平台升级风险",
    # after 升级风险 / 平台升级风险: the row reads 升级风险由供应商承担
    "party.supplier": "由供应商承担",
    "party.customer": "由客户承担",
    # --- documents: table columns --------------------------------------------------------------
    "column.recurring": "持续费用（{term}）",
    "column.task": "工作内容",
    "column.effort": "人数 × 周数",
    "column.rate": "人周单价",
    "column.service": "服务项目",
    # --- documents: table rows -----------------------------------------------------------------
    "row.reserve": "估算风险准备金（{confidence} 置信度）",
    "row.reserve_floor": (
        "区间项不可预见费，按其均值的 {rate} 计"
        "（高于 {confidence} 置信度下的估算风险准备金 {reserve}）"
    ),
    "column.payment_for": "付款事项",
    "column.due": "付款时间",
    "money.spoken": "{money}（{wan}）",
    "money.wan": "{n} 万元",
    "money.wan_about": "约 {n} 万元",
    "punct.colon": "：",
    "column.capital": "大写金额",
    "row.total_capital": "合计（大写）",
    "side.per_upgrade_price": "{price}{rise}",
    "sentence.productize_same": (
        "按含税价计，{years}内产品化方案与定制开发的费用相同，且不收升级费；"
        "上线时间为 {productize_time}，定制开发为 {custom_time}。"
    ),
    "explain.floor": "{whole} − 单点估算项的 {points}",
    "view.continued": "{title}（续）",
    "format.date": "{year}年{month}月{day}日",
    "milestone.signing": "签约",
    "milestone.delivery": "交付",
    "milestone.acceptance": "验收",
    "price.free": "无额外费用",
    "schedule.one_time": "一次性开发费（{share}）",
    "schedule.services": "第 {year} 年服务费：{services}",
    "schedule.upgrades": "第 {year} 年升级费（{upgrades}）",
    "schedule.in_advance": "第 {year} 年年初预付",
    "schedule.as_delivered": "第 {year} 年各次升级交付时",
    "row.contingency": "不可预见费（{base}的 {rate}）",
    "row.per_upgrade_year_1": "每次升级费用（第 1 年）",
    "row.upgrade_charges": "升级费（{term}）",
    "row.service": "{name}（{term}）",
    "row.discount": "折扣（{rate}）",
    "row.tax": "税费（{rate}）",
    "row.coaching": "技术辅导（{days} × {per_day}）",
    "effort.weeks": "{people} 人 × {weeks}",
    "effort.range": "{people} 人 × {low} 至 {high} 周（均值 {mean} 周）",
    "sign.for_customer": "客户方",
    "sign.for_supplier": "供应商方",
    "sign.company": "单位名称",
    "sign.name": "姓名",
    "sign.title": "职务",
    "sign.signature": "签字（盖章）",
    # --- documents: the chart ------------------------------------------------------------------
    "chart.title": "各方案逐年累计费用（含税）",
    "chart.bar": "{option}，第 {year} 年：{amount}",
    # --- documents: text and terms -------------------------------------------------------------
    "document.ranges": (
        "以区间（乐观、最可能、悲观）给出的工作量，按均值加 {reserve} 计价："
        "取 {confidence} 置信度下的估算风险准备金与区间项不可预见费中的较大者，"
        "确保区间估算的价格不低于按单一数值估算的同等工作。"
    ),
    "document.no_upgrade_work": "平台升级不收取兼容性测试费用。",
    "document.invoicing": (
        "定制开发的一次性开发费按里程碑开票，每年的升级费在当年各次升级交付时开票，"
        "服务费按年预付：任何年度的费用均不在该年度开始前收取。其他方案均在签约时全额开票。"
    ),
    "document.none_stated": "无。",
    # Clause titles: the clause's text follows after a space.
    "term.validity.title": "有效期：",
    "term.validity": "本报价有效期至 {date}（自报价日期起 {days}）。",
    "term.upgrades.title": "升级费：",
    "term.upgrades": (
        "定制开发合计已包含 {term}内的 {upgrades}（每年 {per_year} 次），"
        "按上文所列各年度的升级单价计费。超出部分的每次升级，按其所在年度的升级单价另行收费。"
    ),
    "term.risk.title": "升级风险：",
    "term.risk": (
        "选择标准方案，升级风险由供应商承担：平台升级免费提供。"
        "选择定制开发，升级风险由客户承担：每次平台升级的兼容性测试按上文收费。"
    ),
    "term.productize.title": "产品化方案：",
    "term.productize": (
        "选择本方案，该功能将纳入标准平台，于签约后 {release}随版本发布。"
        "客户分担定制开发一次性开发费（NRE）的 {share}；平台升级免费提供，"
        "升级风险由供应商承担。"
    ),
    "term.tax.title": "税费：",
    "term.tax": "不含税金额按 {rate} 计税，各项合计均为含税金额。",
    # --- documents: the provenance footer ------------------------------------------------------
    "provenance.checked_by": "溯源信息，核验命令",  # followed by `nrecalc verify`
    "provenance.reference": "校验参考",
    "provenance.view.internal": "内部视图",
    "provenance.estimate": "估算文件 sha256",
    "provenance.rate_card": "费率表 sha256",
    "provenance.figures": "金额指纹",
    # --- the note: a short e-mail to the customer's purchasing department ----------------------
    "note.subject": "主题：关于“{title}”的报价（{id}）",
    "fact.currency": "{code}（{symbol}）",
    "document.invoicing_no_services": (
        "定制开发的一次性开发费按里程碑开票，每年的升级费在当年各次升级交付时开票："
        "任何年度的费用均不在该年度开始前收取。其他方案均在签约时全额开票。"
    ),
    "note.dear": "尊敬的{customer}：",
    "note.thanks": (
        "感谢贵司提出“{title}”的需求。这项定制开发我们可以承接，"
        "同时也建议贵司将其与我们的标准方案对比后再做决定。"
    ),
    "note.custom_with_upgrades": (
        "定制开发的工作量为 {effort}，{lead_time}后即可上线。一次性开发费（NRE）不含税为 "
        "{nre}；此外，每次平台升级都需要做兼容性测试，因此每次升级另收 {per_upgrade}"
        "{rise}。按 {term}、每年 {upgrades}计算，含税总费用为 {total}{discount}。"
    ),
    "note.custom": (
        "定制开发的工作量为 {effort}，{lead_time}后即可上线。一次性开发费（NRE）不含税为 "
        "{nre}；{term}含税总费用为 {total}{discount}。"
    ),
    "note.after_discount": "，已扣除折扣 {amount}",  # after the total, before the full stop
    "note.standard": (
        "我们的标准方案（{name}）无需定制开发即可满足需求：{days}即可上线，"
        "含税费用为 {total}；所有平台升级均已包含，升级风险由我方承担。"
    ),
    "note.standard_free": (
        "我们的标准方案（{name}）无需定制开发即可满足需求：{days}即可上线，"
        "无额外费用；所有平台升级均已包含，升级风险由我方承担。"
    ),
    "note.productize": (
        "此外还有一个折中方案：我们可以将该功能纳入标准平台，在 {release}后的版本中发布。"
        "贵司只需分担定制开发一次性费用的 {share}，该方案含税总费用为 {total}，"
        "此后不再收取升级费，升级风险由我方承担。"
    ),
    "note.choice": (
        "选择权在贵司，无论选择哪种方案，我们都乐意提供支持。"
        "详情请见附件报价单 {id}，报价有效期至 {valid_until}。"
    ),
    "note.regards": "顺祝商祺！",
    # --- diff (SPEC 8.2) ---
    "diff.title.card": "费率表 {name}：{old_version}（{old_path}）→ {new_version}（{new_path}）",
    "diff.title.estimate": "报价单 {id}：{old_path} → {new_path}",
    "diff.heading.card": "费率表变更内容",
    "diff.card_same": "费率、费用、政策参数及服务项目均无变化。",
    "diff.heading.quotes": "对使用该费率表的报价的影响",
    "diff.no_quotes": "此处没有使用该费率表的报价。",
    "diff.heading.changes": "报价变更明细",
    "diff.quote_same": "两个版本之间没有任何变化。",
    "diff.column.estimate": "报价编号",
    "diff.column.old": "变更前",
    "diff.column.new": "变更后",
    "diff.column.change": "变动",
    "diff.summary.estimates": ("{n} 份报价", "{n} 份报价"),
    "diff.summary.in": "{estimates}（{currency}）",
    "diff.summary.up": "{n} 份上调",
    "diff.summary.down": "{n} 份下调",
    "diff.summary.unchanged": "{n} 份不变",
    "diff.summary.currency": "{n} 份币种变更",
    "diff.join": "{first}，{then}",
    "diff.summary": "{estimates}：{parts}；合计变动 {change}",
    "diff.summary.no_total": "{estimates}：{parts}",
    "diff.term.title": "报价标题",
    "diff.term.discount_rate": "折扣率",
    "diff.term.upgrades_per_year": "每年升级次数",
    "diff.term.term_years": "服务年限",
    "diff.term.confidence": "置信水平",
    "diff.field.engineers": "人数",
    "diff.field.weeks": "周数",
    # --- gates (SPEC 8.3) ---
    "flag.review_figure": "{figure}【需复核】",
    "flag.needs_review": "【需复核】",
    "flag.nre_above_review": "一次性开发费 {nre} 超过费率表规定的复核门槛 {limit}。",
    # --- batch (SPEC 8.1) ---
    "batch.heading": ("共 {n} 份报价", "共 {n} 份报价"),
    "batch.column.quote": "报价单号",
    "batch.column.title": "项目名称",
    "batch.column.currency": "报价币种",
    "batch.column.custom_total": "定制开发（含税）",
    "batch.column.standard_total": "标准方案（含税）",
    "batch.column.flags": "提示",
    "batch.column.quotes": "报价数",
    "batch.flag.review": "开发费需复核",
    "batch.flag.discount_approval": "折扣需审批",
    "batch.flags_joined": "{first}；{then}",
    "batch.totals": "按币种合计",
    "batch.no_sum_across": "各币种分别合计，不同币种的金额不相加。",
    "batch.failed": (
        "{n} 个文件未能报价，未计入合计（错误信息见标准错误输出）。",
        "{n} 个文件未能报价，均未计入合计（错误信息见标准错误输出）。",
    ),
    # --- currencies (SPEC 8.4) ---
    "fx.rate": "1 {base} = {rate} {currency}（{date}，{source}）",
    "fact.fx": "汇率",
    "view.fx": "汇率：{rate}",
    "note.fx": "以上金额均以 {currency} 计，由我方 {base} 价格折算，汇率为 {rate}。",
    "explain.fx_formula": "{rate}：费率表各项价格 × {factor}，不取整",
    "explain.fx_role": "{role}，每人周",
    "batch.fx": "{ids}：按 {rate} 折算",
    "diff.term.fx_date": "汇率日期",
    # --- report (SPEC 8.6) ---
    "report.heading": ("{period}共报价 {n} 项需求", "{period}共报价 {n} 项需求"),
    "report.period.between": "{since}至{until}",
    "report.period.since": "{since}以来",
    "report.period.until": "截至{until}",
    "report.period.none": "迄今",
    "report.date_assumed": (
        "{n} 份估算文件未注明日期，按今日（{today}）计为报价日期。",
        "{n} 份估算文件未注明日期，均按今日（{today}）计为报价日期。",
    ),
    "report.outcomes": "需求结果",
    "report.column.outcome": "结果",
    "report.column.requests": "需求数",
    "report.column.share": "占已决需求比例",
    "report.status.open": "待定",
    "report.status.declined": "未成交",
    "report.median": (
        "已有 {n} 项需求作出决定，从报价到决定用时 {days}。",
        "已有 {n} 项需求作出决定，从报价到决定的用时中位数为 {days}。",
    ),
    "report.none_decided": "本期需求均尚未作出决定。",
    "report.won": "成交：客户付费的定制开发（按币种）",
    "report.won_none": "本期没有成交的定制开发。",
    "report.upgrades": "已成交定制开发的升级费（按合同年度）",
    "report.tags": "按标签统计需求",
    "report.column.tag": "标签",
    "report.column.outcomes": "结果分布",
    "report.column.nre_quoted": "报价开发费",
    "report.column.nre_paid": "成交开发费",
    "report.flag.candidate": "产品化候选",
    "report.candidates": (
        "同一标签的需求达到 {n} 次及以上即列为产品化候选，值得考虑将其纳入标准平台。",
        "同一标签的需求达到 {n} 次及以上即列为产品化候选，值得考虑将其纳入标准平台。",
    ),
    "report.no_tags": "本期需求均未设置标签。",
    "report.tally.open": ("待定 {n} 项", "待定 {n} 项"),
    "report.tally.custom": ("定制 {n} 项", "定制 {n} 项"),
    "report.tally.standard": ("标准 {n} 项", "标准 {n} 项"),
    "report.tally.productize": ("产品化 {n} 项", "产品化 {n} 项"),
    "report.tally.declined": ("未成交 {n} 项", "未成交 {n} 项"),
    "report.list": "需求明细（按报价日期）",
    "report.column.tags": "需求标签",
    "report.column.days": "用时（天）",
    "report.column.note": "备注",
    "report.notes": "客户反馈",
    "fx.card_amount": "{amount}（费率表原值 {card}）",
    "explain.fx_service": "{service}，每年",
    "diff.term.fx_source": "汇率来源",
    "diff.summary.fx_only": "{n} 份仅汇率变更",
    "diff.summary.newly_priced": "{n} 份新纳入计价",
    "diff.fx": "{id}：汇率 {old} → {new}",
}
