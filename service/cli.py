"""The ``cchc`` command: render documents from a campaign folder, the demo, the schema, number words."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from data_models import Campaign, InvalidCampaign, load_campaign
from fixtures import campaign_dirs
from service import batch
from service.batch import jobs_for
from service.documents import KINDS
from service.domain.scoring import compute_campaign
from service.reports import ranking_table
from service.output import render_kind
from service.vietnamese import amount_in_words, parse_vietnamese_number, read_number_vi

EXIT_INVALID = 2


def _fail(messages: list[str]) -> int:
    for message in messages:
        print(f"Lỗi: {message}", file=sys.stderr)
    return EXIT_INVALID


def cmd_render(args) -> int:
    try:
        campaign = load_campaign(args.campaign)
        files = render_kind(campaign, args.doc, Path(args.output), args.unit)
    except InvalidCampaign as error:
        return _fail([f"{error.source}: {len(error.problems)} lỗi, không tạo văn bản nào"]
                     + [str(p) for p in error.problems])
    except ValueError as error:
        return _fail([str(error)])
    print(files.docx)
    print(files.pdf)
    return 0


def cmd_demo(args) -> int:
    out = Path(args.output)
    jobs = []
    for folder in campaign_dirs():
        try:
            campaign = load_campaign(folder)
        except InvalidCampaign as error:
            return _fail([f"{folder}: "] + [str(p) for p in error.problems])
        jobs += jobs_for(campaign, folder, out / campaign.id)
    done = batch.run(jobs, workers=args.workers, progress=batch.progress_bar)
    for campaign_id in sorted({Path(d.docx).parent.name for d in done}):
        count = sum(1 for d in done if Path(d.docx).parent.name == campaign_id)
        print(f"{campaign_id}: {count} văn bản (DOCX + PDF)")
    print(f"Đã tạo {len(done)} văn bản mẫu trong {out}")
    return 0


def cmd_compute(args) -> int:
    try:
        campaign = load_campaign(args.campaign)
    except InvalidCampaign as error:
        return _fail([f"{error.source}: {len(error.problems)} lỗi"] + [str(p) for p in error.problems])
    results = compute_campaign(campaign)
    if not results.groups:
        return _fail(["chiến dịch chưa có bộ tiêu chí hoặc đơn vị để tính điểm"])
    for group in campaign.groups:
        if group.id in results.groups:
            print(ranking_table(campaign, group.id, results.groups[group.id]))
            print()
    return 0


def cmd_kinds(args) -> int:
    for kind in KINDS.values():
        print(f"{kind.key}\t{kind.label}{' (theo từng đơn vị)' if kind.per_unit else ''}")
    return 0


def cmd_schema(args) -> int:
    print(json.dumps(Campaign.model_json_schema(), ensure_ascii=False, indent=2))
    return 0


def cmd_words(args) -> int:
    try:
        number = parse_vietnamese_number(args.number)
        options = {"le": args.le, "ngan": args.ngan, "tu": args.tu}
        print(amount_in_words(number, **options) if args.currency else read_number_vi(number, **options))
    except ValueError as error:
        return _fail([str(error)])
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cchc", description="CCHC Docs: văn bản đánh giá Chỉ số cải cách hành chính theo Nghị định 30/2020/NĐ-CP.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="LỆNH")

    render = commands.add_parser("render", help="tạo một loại văn bản (DOCX + PDF) từ thư mục chiến dịch",
                                 description="Tạo OUTDIR/<loại>[-<đơn vị>].docx và .pdf từ CAMPAIGN_DIR/campaign.json.")
    render.add_argument("campaign", metavar="CAMPAIGN_DIR", help="thư mục chứa campaign.json")
    render.add_argument("--doc", required=True, metavar="KIND", help="loại văn bản (xem 'cchc kinds')")
    render.add_argument("--unit", metavar="UNIT_ID", help="đơn vị, với loại văn bản lập theo từng đơn vị")
    render.add_argument("-o", "--output", required=True, metavar="OUTDIR", help="thư mục ghi văn bản")
    render.set_defaults(handler=cmd_render)

    demo = commands.add_parser("demo", help="tạo mọi loại văn bản của mọi chiến dịch mẫu (fixtures/)",
                               description="Ghi OUTDIR/<campaign-id>/<loại>.docx và .pdf cho mọi chiến dịch mẫu.")
    demo.add_argument("-o", "--output", default="out/demo", metavar="OUTDIR", help="mặc định: out/demo")
    demo.add_argument("--workers", type=int, default=None, metavar="N", help="số tiến trình (mặc định: số lõi CPU)")
    demo.set_defaults(handler=cmd_demo)

    compute = commands.add_parser("compute", help="tính điểm, chỉ số, xếp hạng, xếp loại và in bảng kết quả",
                                  description="In bảng xếp hạng Chỉ số CCHC của từng nhóm đơn vị.")
    compute.add_argument("campaign", metavar="CAMPAIGN_DIR", help="thư mục chứa campaign.json")
    compute.set_defaults(handler=cmd_compute)

    kinds = commands.add_parser("kinds", help="liệt kê các loại văn bản", description="Liệt kê các loại văn bản.")
    kinds.set_defaults(handler=cmd_kinds)

    schema = commands.add_parser("schema", help="in JSON Schema của campaign.json",
                                 description="In JSON Schema của campaign.json.")
    schema.set_defaults(handler=cmd_schema)

    words = commands.add_parser("words", help="đọc số thành chữ", description="Đọc một số thành chữ tiếng Việt.")
    words.add_argument("number", metavar="NUMBER", help="số theo cách viết Việt Nam (1.050.000, 2,05) hoặc 1050000")
    words.add_argument("--currency", action="store_true", help="đọc số tiền: 'Một triệu … đồng'")
    words.add_argument("--le", action="store_true", help="dùng 'lẻ' thay cho 'linh'")
    words.add_argument("--ngan", action="store_true", help="dùng 'ngàn' thay cho 'nghìn'")
    words.add_argument("--tu", action="store_true", help="dùng 'tư' cho số 4 cuối sau hàng chục ≥ 2")
    words.set_defaults(handler=cmd_words)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
