"""The ``cchc`` command: render documents from a campaign folder, the demo, the schema, number words."""
from __future__ import annotations

import argparse
import json
import os
import socket
import sys
from pathlib import Path

from data_models import Campaign, InvalidCampaign, campaign_data, load_campaign, parse_campaign, parse_json_text
from fixtures import campaign_dirs
from service import batch
from service.batch import jobs_for
from service.merge import merge_criteria, merge_previous, merge_scores, merge_survey
from service.output import write_atomically
from service.documents import KINDS
from service.domain.scoring import compute_campaign
from service.reports import ranking_table
from service.output import render_kind
from service.documents.kind_templates import EXTENSION, default_template, variables
from service.template_checks import FOLDER, InvalidTemplate, folder_templates, template_kinds
from service.vietnamese import amount_in_words, parse_vietnamese_number, read_number_vi

EXIT_INVALID = 2


def _fail(messages: list[str]) -> int:
    for message in messages:
        print(f"Lỗi: {message}", file=sys.stderr)
    return EXIT_INVALID


def cmd_render(args) -> int:
    try:
        campaign = load_campaign(args.campaign)
        templates = folder_templates(Path(args.campaign), campaign)
        files = render_kind(campaign, args.doc, Path(args.output), args.unit, templates)
    except InvalidCampaign as error:
        return _fail([f"{error.source}: {len(error.problems)} lỗi, không tạo văn bản nào"]
                     + [str(p) for p in error.problems])
    except InvalidTemplate as error:
        return _fail([f"{FOLDER}/{p}" if not p.startswith("tệp") else p for p in error.problems]
                     + ["mẫu văn bản của chiến dịch không hợp lệ: không tạo văn bản nào"])
    except ValueError as error:
        return _fail([str(error)])
    print(files.docx)
    print(files.pdf)
    _print_findings(campaign, args.doc, args.unit, templates)
    return 0


def _print_findings(campaign, kind: str, unit: str | None, templates) -> None:
    """The drafting rules' findings on the draft just written, as warnings: they block issuing in the
    workspace, never a draft."""
    from service.conformance.drafting import check_drafting
    from service.documents import compose
    findings = check_drafting(compose(campaign, kind, unit, templates), campaign, kind, unit)
    for finding in findings:
        print(f"Kiểm tra soạn thảo: {finding}", file=sys.stderr)


def cmd_clone(args) -> int:
    """Next year's campaign folder from this one, never prompting: the provisional results become
    "last year's" only with --copy-provisional-results. Nothing is written unless it is all valid."""
    from service.editing.clone import clone_for_next_year
    out = Path(args.output)
    try:
        campaign = load_campaign(args.campaign)
        templates = folder_templates(Path(args.campaign), campaign)
        data = campaign_data(campaign)
        new, notes = clone_for_next_year(campaign, data, args.year, args.copy_provisional_results)
        cloned = parse_campaign(new, f"{out}/campaign.json")
    except InvalidCampaign as error:
        return _fail([f"{error.source}: {len(error.problems)} lỗi, không tạo chiến dịch"] + [str(p) for p in error.problems])
    except InvalidTemplate as error:
        return _fail([f"{FOLDER}/{p}" for p in error.problems] + ["không tạo chiến dịch"])
    except ValueError as error:
        return _fail([str(error)])
    if (out / "campaign.json").exists():
        return _fail([f"{out}/campaign.json đã có: không ghi đè (chọn thư mục khác)"])
    out.mkdir(parents=True, exist_ok=True)
    for kind, text in templates.items():                      # the campaign's own wording carries over
        write_atomically(out / FOLDER / f"{kind}{EXTENSION}", text.encode("utf-8"))
    write_atomically(out / "campaign.json",
                     (json.dumps(campaign_data(cloned), ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
    print(out / "campaign.json")
    for note in notes:
        print(f"- {note}")
    return 0


def _iso_day(text: str):
    import datetime as dt
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"ngày {text!r} phải viết YYYY-MM-DD, ví dụ 2026-10-29") from None


def cmd_remind(args) -> int:
    """Remind the units whose step closes within N days (in the workspace, and by e-mail when SMTP is
    configured); meant to run once a day (cron, a systemd timer)."""
    from service.store.db import database_url, make_engine
    from service.store.migrate import upgrade
    from service.store.notifications import remind_deadlines
    from service.store.register import vietnam_today
    upgrade(database_url())                       # the same database and schema as the workspace's
    engine = make_engine()
    day = args.today or vietnam_today()
    told = remind_deadlines(engine, day, args.days)
    print(f"Đã nhắc hạn {told} tài khoản (hạn trong {args.days} ngày tới, tính từ {day:%d/%m/%Y}).")
    return 0


def cmd_export_edxml(args) -> int:
    """An issued document as the edXML message for the e-office (the workspace's database)."""
    import datetime as dt
    from service.interop.edxml import EdxmlError, write_message
    from service.interop.outgoing import message_for
    from service.store.campaigns import load_whole_campaign
    from service.store.db import database_url, make_engine
    from service.store.issuing import issued_version
    from service.store.migrate import upgrade
    upgrade(database_url())
    engine = make_engine()
    version = issued_version(engine, args.version)
    if version is None or version.campaign_id != args.campaign:
        print(f"Không có bản ban hành số {args.version} trong chiến dịch {args.campaign!r}.", file=sys.stderr)
        return 1
    campaign, _ = load_whole_campaign(engine, args.campaign)
    try:
        message, apart = message_for(campaign, version, dt.datetime.now(dt.timezone.utc))
        data = write_message(message)
    except EdxmlError as error:
        print(f"Chưa tạo được gói edXML: {error}.", file=sys.stderr)
        return 1
    from service.output import write_atomically
    write_atomically(Path(args.output), data)
    print(f"Đã ghi {args.output}: {version.number_line.removeprefix('Số: ')} gửi {len(message.recipients)} nơi nhận có mã "
          "định danh" + (f"; không gửi qua trục: {'; '.join(f'{line} ({why})' for line, why in apart)}" if apart else "") + ".")
    return 0


def cmd_export_archive(args) -> int:
    """The campaign's archive package from the workspace's database (reproducible byte for byte)."""
    from service.interop.archive import build_archive
    from service.interop.year_archive import campaign_package
    from service.output import write_atomically
    from service.store.campaigns import campaign_owner, load_whole_campaign
    from service.store.db import database_url, make_engine
    from service.store.migrate import upgrade
    upgrade(database_url())
    engine = make_engine()
    try:
        campaign, _ = load_whole_campaign(engine, args.campaign)
        _, organisation = campaign_owner(engine, args.campaign)
    except KeyError:
        print(f"Không có chiến dịch {args.campaign!r}.", file=sys.stderr)
        return 1
    package = campaign_package(engine, campaign, organisation, {"thoi_han_bao_quan": args.thoi_han_bao_quan,
                                                                "che_do_su_dung": args.che_do_su_dung})
    write_atomically(Path(args.output), build_archive(package))
    print(f"Đã ghi {args.output}: {len(package.documents)} văn bản, {len(package.register) - 1} số trong sổ.")
    return 0


def cmd_verify_archive(args) -> int:
    """Check a package: every file against checksums.sha256 and the manifest, every PDF's signatures
    (trusted against --ca when given) and its PDF/A-2b."""
    from service.interop.archive import check_archive
    from service.signing.verify import load_trust_roots
    try:
        data = Path(args.archive).read_bytes()
        roots = load_trust_roots(Path(args.ca).read_bytes()) if args.ca else []
    except OSError as error:
        print(f"Không đọc được {error.filename}: {error.strerror}.", file=sys.stderr)
        return 2
    except ValueError as error:
        print(f"Tệp CA không đọc được: {error}", file=sys.stderr)
        return 2
    check = check_archive(data, roots)
    for note in check.notes:
        print(note)
    problems = check.problems
    for problem in problems:
        print(problem)
    print("Gói lưu trữ toàn vẹn." if not problems else f"Gói lưu trữ có {len(problems)} lỗi.")
    return 0 if not problems else 1


def cmd_token(args) -> int:
    """API tokens of machine clients: create (shown once), list, revoke; the workspace's database."""
    import datetime as dt
    from service.store.api_tokens import SCOPES, create_token, revoke_token, tokens_of
    from service.store.db import database_url, make_engine
    from service.store.migrate import upgrade
    from service.vietnamese.dates import VIETNAM
    upgrade(database_url())
    engine = make_engine()
    if args.action == "create":
        expires = None
        if args.expires:
            try:
                day = dt.date.fromisoformat(args.expires)
            except ValueError:
                print(f"lỗi: --expires {args.expires!r} phải là ngày dạng YYYY-MM-DD", file=sys.stderr)
                return 2
            expires = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=VIETNAM)
        try:
            token_id, token = create_token(engine, args.username, scope=args.scope, expires=expires, name=args.name or "",
                                           actor="cli", operator=True)
        except ValueError as error:
            print(f"lỗi: {error}", file=sys.stderr)
            return 2
        print(f"Mã truy cập số {token_id} ({SCOPES[args.scope]}) của {args.username}"
              + (f", hết hạn sau ngày {args.expires}" if args.expires else ", không hết hạn")
              + ". Mã chỉ hiện một lần; dùng trong tiêu đề 'Authorization: Bearer <mã>':", file=sys.stderr)
        print(token)
        return 0
    if args.action == "revoke":
        try:
            revoke_token(engine, args.id, "cli")
        except LookupError:
            print(f"lỗi: không có mã truy cập số {args.id}", file=sys.stderr)
            return 2
        print(f"Đã thu hồi mã truy cập số {args.id}.")
        return 0
    for info in tokens_of(engine, None):
        if args.username and info.username.lower() != args.username.lower():
            continue
        print(f"{info.id}\t{info.prefix}…\t{info.username}\t{info.scope}\t{info.state()}\t{info.name}")
    return 0


def cmd_demo(args) -> int:
    out = Path(args.output)
    jobs = []
    for folder in campaign_dirs():
        try:
            campaign = load_campaign(folder)
            folder_templates(folder, campaign)
        except InvalidCampaign as error:
            return _fail([f"{folder}: "] + [str(p) for p in error.problems])
        except InvalidTemplate as error:
            return _fail([f"{folder}/{FOLDER}/{p}" for p in error.problems] + ["không tạo văn bản nào"])
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


def cmd_export(args) -> int:
    from service import excel          # openpyxl: only the commands that read or write sheets pay for it
    try:
        campaign = load_campaign(args.campaign)
        out = Path(args.output)
        written = []
        results = compute_campaign(campaign)
        if results.groups:
            write_atomically(out / "ket-qua.xlsx", excel.write_results(campaign, results))
            written.append(out / "ket-qua.xlsx")
        for criteria in campaign.criteria_sets:
            write_atomically(out / f"tieu-chi-{criteria.group}.xlsx", excel.write_criteria(criteria))
            written.append(out / f"tieu-chi-{criteria.group}.xlsx")
        for unit in args.unit or []:
            campaign.unit(unit)
            write_atomically(out / f"bang-diem-{unit}.xlsx", excel.write_unit_scores(campaign, unit))
            written.append(out / f"bang-diem-{unit}.xlsx")
    except InvalidCampaign as error:
        return _fail([str(p) for p in error.problems])
    except KeyError as error:
        return _fail([f"không có đơn vị {error.args[0]!r}"])
    for path in written:
        print(path)
    return 0


def cmd_import(args) -> int:
    from service import excel
    folder = Path(args.campaign)
    path = folder / "campaign.json" if folder.is_dir() else folder
    try:
        data = parse_json_text(path.read_bytes(), str(path))
        if not isinstance(data, dict):
            parse_campaign(data, str(path))          # the Vietnamese 'must be an object' problem
        if args.criteria:
            merge_criteria(data, excel.read_criteria(Path(args.criteria).read_bytes()), args.group)
        if args.scores:
            merge_scores(data, excel.read_unit_scores(Path(args.scores).read_bytes()), args.unit)
        if args.survey:
            merge_survey(data, excel.read_survey(Path(args.survey).read_bytes()))
        if args.previous:
            merge_previous(data, excel.read_previous_results(Path(args.previous).read_bytes()))
        parse_campaign(data, str(path))
    except excel.SheetError as error:
        return _fail(error.problems + ["không có thay đổi nào được lưu"])
    except InvalidCampaign as error:
        return _fail([str(p) for p in error.problems] + ["không có thay đổi nào được lưu"])
    except (OSError, ValueError) as error:
        return _fail([str(error), "không có thay đổi nào được lưu"])
    write_atomically(path, (json.dumps(campaign_data(parse_campaign(data, str(path))), ensure_ascii=False, indent=1)
                            + "\n").encode("utf-8"))
    print(f"Đã cập nhật {path}")
    return 0


def cmd_serve(args) -> int:
    from service.web import create_app
    from service.web.demo import seed_demo
    app = create_app()
    if not args.no_demo:
        logins = seed_demo(app.extensions["cchc_engine"])
        print("Tài khoản dùng thử (mỗi tỉnh chỉ thấy dữ liệu của tỉnh mình):")
        from service.store.users import ROLES
        for username, password, what in logins:
            role, _, where = what.partition(", ")
            print(f"  {username:<16} mật khẩu {password}  ({ROLES.get(role, role)}, {where})")
        import os
        from fixtures import SIGNING_DIR
        from service.signing.demo_pki import DEMO_PASSWORD
        from service.web.demo import seed_demo_signers
        ca, p12s = seed_demo_signers(app.extensions["cchc_engine"], Path(app.instance_path) / "ky-so-dung-thu")
        if not os.environ.get("CCHC_TRUST_BUNDLE"):
            app.config["CCHC_TRUST_BUNDLE"] = ca
        print(f"Ký số dùng thử (CA dùng thử {ca}; mật khẩu mọi tệp .p12: {DEMO_PASSWORD}; ảnh chữ ký, con dấu trong "
              f"{SIGNING_DIR}):")
        for who, path in p12s.items():
            print(f"  {who:<16} {path}")
    from service.web.background import warm_drafts
    warm_drafts(app)                      # the first reader of a PDF reads it instead of waiting for it
    print(f"Mở http://{args.host}:{args.port}/ trong trình duyệt (Ctrl+C để dừng).")
    app.run(host=args.host, port=args.port, debug=False)
    return 0


def cmd_worker(args) -> int:
    """A queue worker in this process (Celery), for the database of DATABASE_URL: on Redis
    (CCHC_QUEUE_URL), as many as wanted on any machine; embedded, beside the web processes."""
    from service.jobs.queue import make_queue, queue_url
    from service.store.db import database_url
    from service.store.migrate import wait_and_upgrade
    url = database_url()
    wait_and_upgrade(url, float(os.environ.get("CCHC_DB_WAIT_SECONDS", 300)))
    celery = make_queue(url)
    celery.set_default()
    import datetime as dt
    from service.jobs.embedded import KEEP_RENDERED, start_sweeper
    from service.jobs.queue import engine_for
    from service.store.rendered import forget_old_files
    forget_old_files(engine_for(url), dt.datetime.now(dt.timezone.utc) - KEEP_RENDERED)   # the cache's old files
    where = queue_url() or "cơ sở dữ liệu (hàng đợi nhúng)"
    print(f"Bắt đầu xử lý việc nền: hàng đợi {where}, {args.concurrency} việc một lúc (Ctrl+C để dừng).", flush=True)
    start_sweeper(celery)                 # jobs lost in a broker outage or with a killed worker are sent again
    worker = celery.Worker(pool_cls="solo" if args.concurrency == 1 else "prefork", concurrency=args.concurrency,
                           loglevel=args.loglevel, queues=["cchc"], without_gossip=True, without_mingle=True,
                           hostname=f"cchc-{os.getpid()}@{socket.gethostname()}")   # one name per process
    worker.start()
    return worker.exitcode or 0


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


def _password(variable: str, what: str) -> str:
    """A password from the environment, else asked for without echo — never on the command line."""
    import getpass
    import os
    if os.environ.get(variable):
        return os.environ[variable]
    if not sys.stdin.isatty():
        raise ValueError(f"chưa có mật khẩu {what}: đặt biến môi trường {variable}")
    return getpass.getpass(f"Mật khẩu {what}: ")


def cmd_sign(args) -> int:
    """Sign a PDF: the leader's signature (blue image), then optionally the agency's (red seal)."""
    from service.signing.appearance import AppearanceError
    from service.signing.profile import profile_from_environment
    from service.signing.sign import sign_as_agency, sign_as_leader
    import contextlib
    from service.signing.signers import SigningError, load_pkcs12, pkcs11_signer
    from fixtures import SIGNING_DIR
    try:
        pdf = Path(args.input).read_bytes()
        signature_png = Path(args.signature_image).read_bytes() if args.signature_image else (SIGNING_DIR / "chu-ky-mau.png").read_bytes()
        seal_png = Path(args.seal_image).read_bytes() if args.seal_image else (SIGNING_DIR / "con-dau-mau.png").read_bytes()
        if not carries_number(pdf):
            print("Cảnh báo: văn bản chưa có số (dự thảo); bản ký nên là bản đã ban hành.", file=sys.stderr)
        profile = profile_from_environment()
        with contextlib.ExitStack() as stack:
            if args.p12:
                leader = load_pkcs12(Path(args.p12).read_bytes(), _password("CCHC_P12_PASSWORD", "chứng thư số của người ký"))
            elif args.token:
                leader = stack.enter_context(pkcs11_signer(
                    args.pkcs11_lib, args.token, _password("CCHC_TOKEN_PIN", "PIN của thiết bị ký số"), args.key_label,
                    Path(args.cert).read_bytes() if args.cert else None))
            else:
                raise ValueError("cần --p12 (tệp chứng thư số) hoặc --token (thiết bị ký số PKCS#11)")
            signed = sign_as_leader(pdf, leader, signature_png, profile=profile)
        if args.seal:
            agency = load_pkcs12(Path(args.seal).read_bytes(), _password("CCHC_SEAL_PASSWORD", "chứng thư số của cơ quan"))
            signed = sign_as_agency(signed, agency, seal_png, profile=profile)
    except (OSError, SigningError, AppearanceError, ValueError) as error:
        return _fail([str(error), "không ký, không ghi tệp nào"])
    write_atomically(Path(args.output), signed)
    print(f"Đã ký: {args.output}")
    return 0


def carries_number(pdf: bytes) -> bool:
    """Whether the PDF's text carries a document number ('Số: 125/KH-UBND'), not the draft's blank."""
    import io
    import re
    from pypdf import PdfReader
    try:
        text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text() or ""
    except Exception:
        return True
    return bool(re.search(r"Số:\s*\d+/", text))


def cmd_verify(args) -> int:
    """Exit status 0: every signature intact and trusted, nothing but signatures added; 1: a broken
    signature or changed content; 2: unreadable file or no signature; 3: intact but not trusted."""
    from service.signing.verify import UnreadablePdf, load_trust_roots, verify_pdf
    try:
        pdf = Path(args.file).read_bytes()
        roots = load_trust_roots(Path(args.ca).read_bytes()) if args.ca else []
        issued = Path(args.issued).read_bytes() if args.issued else None
        report = verify_pdf(pdf, roots, issued=issued)
    except (OSError, UnreadablePdf, ValueError) as error:
        print(f"Lỗi: {error}", file=sys.stderr)
        return 2
    print("\n".join(report.lines()))
    print(archival_format_line(pdf))
    return report.exit_status


def archival_format_line(pdf: bytes) -> str:
    """Whether the file is still PDF/A-2b (what archives take), by the structural check; informative,
    the exit status stays the signatures'."""
    from service.conformance.pdfa import pdfa_problems
    problems = pdfa_problems(pdf)
    if not problems:
        return "Định dạng lưu trữ: PDF/A-2b, kiểm tra cấu trúc đạt."
    return "Định dạng lưu trữ: CHƯA đạt PDF/A-2b — " + "; ".join(problems[:5]) + (" …" if len(problems) > 5 else "")


def cmd_templates(args) -> int:
    """list | show KIND [CAMPAIGN_DIR] | vars KIND | check CAMPAIGN_DIR."""
    kinds = template_kinds()
    if args.action != "list" and not args.target:
        return _fail([f"cchc templates {args.action} cần {'CAMPAIGN_DIR' if args.action == 'check' else 'KIND'}"])
    if args.action == "list":
        for kind in kinds:
            label = KINDS[kind].label if kind in KINDS else "Cụm từ dùng chung"
            print(f"{kind + EXTENSION:36} {label}")
        return 0
    if args.action in ("show", "vars"):
        if args.target not in kinds:
            return _fail([f"không có mẫu '{args.target}'; các mẫu: {', '.join(kinds)}"])
        if args.action == "vars":
            for variable in variables(args.target):
                print(f"{variable.name}: {variable.description}")
                print(f"    ví dụ: {json.dumps(variable.example, ensure_ascii=False)[:160]}")
                for field, description in variable.fields.items():
                    print(f"    {variable.name}.{field}: {description}")
            return 0
        own = Path(args.campaign) / FOLDER / f"{args.target}{EXTENSION}" if args.campaign else None
        text = own.read_bytes().decode("utf-8-sig") if own is not None and own.is_file() else default_template(args.target)
        sys.stdout.write(text)
        return 0
    campaign = load_campaign(args.target)
    try:
        own = folder_templates(Path(args.target), campaign)
    except InvalidTemplate as error:
        return _fail([f"{FOLDER}/{p}" for p in error.problems])
    print(f"{len(own)} mẫu riêng của chiến dịch hợp lệ" if own else "chiến dịch không có mẫu riêng (dùng mẫu mặc định)")
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

    clone = commands.add_parser("clone", help="tạo chiến dịch năm sau từ thư mục chiến dịch này",
                                description="Ghi NEW_DIR/campaign.json (và mẫu văn bản riêng) cho năm YYYY: tổ chức, bộ "
                                            "tiêu chí, Hội đồng, kế hoạch giữ lại; văn bản về dự thảo; không hỏi lại.")
    clone.add_argument("campaign", metavar="CAMPAIGN_DIR", help="thư mục chứa campaign.json")
    clone.add_argument("--year", type=int, default=None, metavar="YYYY", help="năm của chiến dịch mới (mặc định: năm sau)")
    clone.add_argument("-o", "--output", required=True, metavar="NEW_DIR", help="thư mục của chiến dịch mới")
    clone.add_argument("--copy-provisional-results", action="store_true",
                       help="ghi kết quả chưa công bố (Quyết định công bố chưa có số) làm kết quả năm trước")
    clone.set_defaults(handler=cmd_clone)

    archive = commands.add_parser("export-archive", help="gói lưu trữ của chiến dịch (văn bản, sổ, siêu dữ liệu, mã băm)",
                                  description="Ghi gói lưu trữ ZIP của chiến dịch: mọi văn bản đã ban hành, sổ đăng ký, trạng "
                                              "thái liên thông theo cấu trúc gói E-ARK CSIP (METS.xml, siêu dữ liệu hồ sơ, PREMIS, "
                                              "representations/rep1), manifest và checksums.sha256; cùng dữ liệu cho cùng từng "
                                              "byte. DATABASE_URL như 'cchc serve'.")
    archive.add_argument("--campaign", required=True, metavar="ID")
    archive.add_argument("--thoi-han-bao-quan", metavar="THỜI HẠN",
                         help="thời hạn bảo quản của hồ sơ theo Danh mục hồ sơ của cơ quan (vd. 'Vĩnh viễn', '20 năm')")
    archive.add_argument("--che-do-su-dung", metavar="CHẾ ĐỘ", help="chế độ sử dụng / mức độ tiếp cận (vd. 'Công khai')")
    archive.add_argument("-o", "--output", required=True, metavar="FILE.zip")
    archive.set_defaults(handler=cmd_export_archive)
    check = commands.add_parser("verify-archive", help="kiểm tra gói lưu trữ (mã băm, manifest, chữ ký số, PDF/A)")
    check.add_argument("archive", metavar="FILE.zip")
    check.add_argument("--ca", metavar="CA.pem", help="chứng thư số CA tin cậy (PEM) để xác nhận người ký")
    check.set_defaults(handler=cmd_verify_archive)

    edxml = commands.add_parser("export-edxml", help="gói edXML của một văn bản đã ban hành (gửi qua trục liên thông)",
                                description="Ghi gói edXML (QCVN 102:2016/BTTTT) của bản ban hành số VERSION: nơi nhận theo mã "
                                            "định danh điện tử, tệp PDF đính kèm. DATABASE_URL như 'cchc serve'.")
    edxml.add_argument("--campaign", required=True, metavar="ID", help="mã chiến dịch")
    edxml.add_argument("--version", required=True, type=int, metavar="VERSION", help="số của bản ban hành (trang văn bản)")
    edxml.add_argument("-o", "--output", required=True, metavar="FILE.edxml")
    edxml.set_defaults(handler=cmd_export_edxml)

    remind = commands.add_parser("remind", help="nhắc các đơn vị sắp hết hạn (chạy mỗi ngày một lần)",
                                 description="Nhắc trong phần mềm (và qua thư nếu có CCHC_SMTP_HOST) các đơn vị có bước sắp "
                                             "hết hạn: tự đánh giá chưa gửi, giải trình chưa gửi. DATABASE_URL như 'cchc serve'.")
    remind.add_argument("--days", type=int, default=3, metavar="N", help="hạn trong N ngày tới (mặc định 3)")
    remind.add_argument("--today", metavar="YYYY-MM-DD", type=_iso_day, help="tính như hôm nay là ngày này (để thử)")
    remind.set_defaults(handler=cmd_remind)

    demo = commands.add_parser("demo", help="tạo mọi loại văn bản của mọi chiến dịch mẫu (fixtures/)",
                               description="Ghi OUTDIR/<campaign-id>/<loại>.docx và .pdf cho mọi chiến dịch mẫu.")
    demo.add_argument("-o", "--output", default="out/demo", metavar="OUTDIR", help="mặc định: out/demo")
    demo.add_argument("--workers", type=int, default=None, metavar="N", help="số tiến trình (mặc định: số lõi CPU)")
    demo.set_defaults(handler=cmd_demo)

    compute = commands.add_parser("compute", help="tính điểm, chỉ số, xếp hạng, xếp loại và in bảng kết quả",
                                  description="In bảng xếp hạng Chỉ số CCHC của từng nhóm đơn vị.")
    compute.add_argument("campaign", metavar="CAMPAIGN_DIR", help="thư mục chứa campaign.json")
    compute.set_defaults(handler=cmd_compute)

    export = commands.add_parser("export", help="xuất bảng kết quả, bộ tiêu chí, bảng điểm đơn vị ra Excel",
                                 description="Ghi OUTDIR/ket-qua.xlsx, tieu-chi-<nhóm>.xlsx và bang-diem-<đơn vị>.xlsx.")
    export.add_argument("campaign", metavar="CAMPAIGN_DIR")
    export.add_argument("-o", "--output", required=True, metavar="OUTDIR")
    export.add_argument("--unit", action="append", metavar="UNIT_ID", help="xuất bảng điểm của đơn vị (lặp lại được)")
    export.set_defaults(handler=cmd_export)

    imports = commands.add_parser("import", help="nhập bộ tiêu chí, bảng điểm, kết quả khảo sát, kết quả năm trước từ Excel",
                                  description="Nhập dữ liệu .xlsx vào campaign.json; lỗi thì không lưu gì.")
    imports.add_argument("campaign", metavar="CAMPAIGN_DIR")
    imports.add_argument("--criteria", metavar="FILE.xlsx", help="bộ tiêu chí (kèm --group)")
    imports.add_argument("--group", metavar="GROUP_ID", help="nhóm đơn vị áp dụng bộ tiêu chí")
    imports.add_argument("--scores", metavar="FILE.xlsx", help="bảng điểm của một đơn vị (kèm --unit)")
    imports.add_argument("--unit", metavar="UNIT_ID")
    imports.add_argument("--survey", metavar="FILE.xlsx", help="kết quả điều tra xã hội học")
    imports.add_argument("--previous", metavar="FILE.xlsx", help="chỉ số, xếp hạng năm trước")
    imports.set_defaults(handler=cmd_import)

    worker = commands.add_parser("worker", help="chạy một tiến trình xử lý việc nền (vẽ văn bản, hồ sơ tổng hợp)",
                                 description="Lấy việc từ hàng đợi (CCHC_QUEUE_URL=redis://…, hoặc cơ sở dữ liệu nếu "
                                             "không đặt) và làm. DATABASE_URL như 'cchc serve'.")
    worker.add_argument("--concurrency", type=int, default=1, help="số việc làm cùng lúc (mặc định 1: một tiến trình)")
    worker.add_argument("--loglevel", default="WARNING")
    worker.set_defaults(handler=cmd_worker)

    token = commands.add_parser("token", help="mã truy cập API cho hệ thống khác: tạo, liệt kê, thu hồi",
                                description="Mã truy cập API (Authorization: Bearer) cho hệ thống quản lý văn bản, "
                                            "hệ thống báo cáo, kịch bản của Sở Nội vụ. DATABASE_URL như 'cchc serve'.")
    token_actions = token.add_subparsers(dest="action", required=True, metavar="VIỆC")
    create = token_actions.add_parser("create", help="tạo mã cho một tài khoản (mã chỉ in ra một lần)")
    create.add_argument("username", help="tên đăng nhập của tài khoản mà mã thay mặt")
    create.add_argument("--scope", choices=["read", "write"], default="read",
                        help="read: chỉ đọc (mặc định); write: đọc và ghi")
    create.add_argument("--expires", metavar="YYYY-MM-DD", help="mã dùng được đến hết ngày này (mặc định: không hết hạn)")
    create.add_argument("--name", help="ghi chú: hệ thống nào dùng mã")
    listing = token_actions.add_parser("list", help="liệt kê các mã (không in mã)")
    listing.add_argument("username", nargs="?", help="chỉ các mã của tài khoản này")
    revoke = token_actions.add_parser("revoke", help="thu hồi một mã ngay")
    revoke.add_argument("id", type=int, help="số của mã (cột đầu của 'cchc token list')")
    token.set_defaults(handler=cmd_token)

    serve = commands.add_parser("serve", help="chạy không gian làm việc trên web (SQLite mặc định, DATABASE_URL cho PostgreSQL)",
                                description="Chạy dịch vụ web; lần đầu tạo cơ sở dữ liệu, nạp chiến dịch mẫu và tài khoản dùng thử.")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--no-demo", action="store_true", help="không nạp chiến dịch mẫu, tài khoản dùng thử")
    serve.set_defaults(handler=cmd_serve)

    sign = commands.add_parser("sign", help="ký số PDF (PAdES): chữ ký người ký, rồi chữ ký số của cơ quan (dấu)",
                               description="Ký số INPUT.pdf vào ô chữ ký có sẵn; mật khẩu lấy từ CCHC_P12_PASSWORD, "
                                           "CCHC_SEAL_PASSWORD hoặc hỏi khi chạy, không bao giờ từ dòng lệnh.")
    sign.add_argument("input", metavar="INPUT.pdf")
    sign.add_argument("--p12", metavar="CERT.p12", help="chứng thư số của người ký (hoặc dùng --token)")
    sign.add_argument("--token", metavar="LABEL", help="nhãn thiết bị ký số PKCS#11 của người ký (PIN: CCHC_TOKEN_PIN hoặc hỏi)")
    sign.add_argument("--pkcs11-lib", default="/usr/lib/softhsm/libsofthsm2.so", metavar="LIB.so",
                      help="thư viện PKCS#11 của thiết bị (do nhà cung cấp token cài)")
    sign.add_argument("--key-label", default="lanh-dao", metavar="LABEL", help="nhãn khóa trên thiết bị")
    sign.add_argument("--cert", metavar="CERT.der", help="chứng thư số (DER) nếu thiết bị không lưu kèm")
    sign.add_argument("--seal", metavar="SEAL.p12", help="chứng thư số của cơ quan (ký sau người ký)")
    sign.add_argument("--signature-image", metavar="PNG", help="ảnh chữ ký (xanh, nền trong suốt)")
    sign.add_argument("--seal-image", metavar="PNG", help="ảnh con dấu (đỏ, nền trong suốt, kích thước thật)")
    sign.add_argument("-o", "--output", required=True, metavar="OUTPUT.pdf")
    sign.set_defaults(handler=cmd_sign)

    verify = commands.add_parser("verify", help="kiểm tra chữ ký số của một PDF",
                                 description="Mã thoát: 0 mọi chữ ký toàn vẹn, tin cậy, không sửa gì ngoài chữ ký; "
                                             "1 có chữ ký hỏng hoặc nội dung bị sửa; 2 tệp không đọc được hoặc không có "
                                             "chữ ký; 3 chữ ký toàn vẹn nhưng chứng thư số không tin cậy (hết hạn, CA lạ).")
    verify.add_argument("file", metavar="FILE.pdf")
    verify.add_argument("--ca", metavar="CA.pem", help="chứng thư số CA tin cậy (PEM, có thể nhiều)")
    verify.add_argument("--issued", metavar="ISSUED.pdf",
                        help="bản đã ban hành: tệp phải là bản này cộng chữ ký, không thêm, sửa gì khác")
    verify.set_defaults(handler=cmd_verify)

    templates = commands.add_parser(
        "templates", help="mẫu văn bản: liệt kê, xem, biến, kiểm tra",
        description="list: các mẫu; show KIND [CAMPAIGN_DIR]: nội dung mẫu đang dùng (của chiến dịch nếu có "
                    f"CAMPAIGN_DIR/{FOLDER}/KIND{EXTENSION}, nếu không thì mẫu mặc định); vars KIND: các biến, "
                    f"giải thích và ví dụ; check CAMPAIGN_DIR: kiểm tra mọi mẫu trong CAMPAIGN_DIR/{FOLDER}/ "
                    "(mã thoát 2 nếu có lỗi).")
    templates.add_argument("action", choices=["list", "show", "vars", "check"])
    templates.add_argument("target", nargs="?", metavar="KIND|CAMPAIGN_DIR")
    templates.add_argument("campaign", nargs="?", metavar="CAMPAIGN_DIR")
    templates.set_defaults(handler=cmd_templates)

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


def check_output(path: Path, *, directory: bool) -> None:
    """``-o`` must name a folder (or a file) that can be written; ValueError in Vietnamese otherwise,
    before anything is computed or written."""
    if directory and path.exists() and not path.is_dir():
        raise ValueError(f"-o {path}: đây là một tệp, cần một thư mục")
    if not directory and path.is_dir():
        raise ValueError(f"-o {path}: đây là một thư mục, cần tên tệp")
    existing = path if directory and path.exists() else next((p for p in path.parents if p.exists()), Path("."))
    if not existing.is_dir() or not os.access(existing, os.W_OK | os.X_OK):
        raise ValueError(f"-o {path}: không có quyền ghi vào {existing}")


def main(argv: list[str] | None = None) -> int:
    """Every command: exit 0 on success, 2 with Vietnamese messages on bad input or a path that cannot
    be read or written — never a traceback."""
    args = build_parser().parse_args(argv)
    try:
        if getattr(args, "output", None) and args.command in ("render", "demo", "export", "sign"):
            check_output(Path(args.output), directory=args.command != "sign")
        return args.handler(args)
    except InvalidCampaign as error:
        return _fail([str(p) for p in error.problems] + ["không có tệp nào được ghi"])
    except (OSError, ValueError, RecursionError) as error:
        detail = f"{error.strerror}: {error.filename}" if isinstance(error, OSError) and error.strerror else str(error)
        return _fail([detail or type(error).__name__, "không có tệp nào được ghi"])


if __name__ == "__main__":
    sys.exit(main())
