"""Render many documents in worker processes (one per core): each worker loads a campaign once and
reuses its weasyprint fonts and stylesheet across the documents it is given."""
from __future__ import annotations

import multiprocessing
import os
import sys
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from data_models import Campaign, load_campaign
from service.documents import KINDS, available
from service.output import render_kind
from service.template_checks import folder_templates
from service.render.docx_writer import frame_template_bytes
from service.render.pdf_writer import warm_up as warm_up_pdf


@dataclass(frozen=True)
class Job:
    campaign_dir: str
    kind: str
    unit: str | None
    out_dir: str


@dataclass(frozen=True)
class Done:
    job: Job
    docx: str
    pdf: str
    seconds: float


@lru_cache(maxsize=4)
def _campaign(folder: str) -> Campaign:
    return load_campaign(folder)


@lru_cache(maxsize=4)
def _templates(folder: str) -> dict[str, str]:
    """The folder's own templates (checked by the command before any job starts)."""
    return folder_templates(Path(folder))


def run_job(job: Job) -> Done:
    start = time.perf_counter()
    files = render_kind(_campaign(job.campaign_dir), job.kind, Path(job.out_dir), job.unit, _templates(job.campaign_dir))
    return Done(job, str(files.docx), str(files.pdf), time.perf_counter() - start)


def jobs_for(campaign: Campaign, folder: Path, out_dir: Path, kinds: Iterable[str] | None = None) -> list[Job]:
    """Every document of a campaign: each available kind, per-unit kinds for each unit they apply to."""
    jobs = []
    for kind in KINDS.values():
        if (kinds is not None and kind.key not in kinds) or not available(campaign, kind):
            continue
        units = [u.id for u in campaign.units() if kind.applies(campaign, u.id)] if kind.per_unit else [None]
        jobs += [Job(str(folder), kind.key, unit, str(out_dir)) for unit in units]
    return jobs


def _prepare(jobs: list[Job]) -> None:
    """Load the campaigns and the writers' fonts, stylesheet and frame once, before forking, so every
    worker inherits them instead of paying for them again."""
    for folder in {job.campaign_dir for job in jobs}:
        _campaign(folder)
    warm_up_pdf()
    frame_template_bytes()


def _context():
    """Fork where the platform has it (workers inherit what ``_prepare`` loaded); else the default."""
    try:
        return multiprocessing.get_context("fork")
    except ValueError:
        return multiprocessing.get_context()


def run(jobs: list[Job], workers: int | None = None, progress: Callable[[int, int, Done], None] | None = None) -> list[Done]:
    """Render ``jobs`` on ``workers`` processes (default: every core); 1 worker runs in this process."""
    workers = min(workers or os.cpu_count() or 1, max(1, len(jobs)))
    _prepare(jobs)
    done: list[Done] = []
    if workers == 1:
        for job in jobs:
            done.append(run_job(job))
            if progress:
                progress(len(done), len(jobs), done[-1])
        return done
    with ProcessPoolExecutor(max_workers=workers, mp_context=_context()) as pool:
        for future in as_completed([pool.submit(run_job, job) for job in jobs]):
            done.append(future.result())
            if progress:
                progress(len(done), len(jobs), done[-1])
    return done


def progress_bar(count: int, total: int, item: Done, stream=sys.stderr) -> None:
    """A one-line progress bar on the terminal (plain lines when not a terminal)."""
    width = 30
    filled = width * count // total
    label = f"{item.job.kind}{'-' + item.job.unit if item.job.unit else ''}"
    line = f"[{'#' * filled}{'.' * (width - filled)}] {count}/{total} {label[:40]:<40}"
    if stream.isatty():
        stream.write("\r" + line + ("\n" if count == total else ""))
    elif count == total or count % 10 == 0:
        stream.write(line + "\n")
    stream.flush()
