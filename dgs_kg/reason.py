"""Reasoning with HermiT (through owlready2) and the OWL 2 DL profile check (OWL API in HermiT.jar).

Both need Java. The profile checker is a tiny Java class shipped with the package (source beside
it); it runs against the HermiT jar that owlready2 bundles, so nothing else is installed.
"""
from __future__ import annotations

import os
import shutil
import tempfile
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ReasonerError, UsageError

JAVA_DIR = Path(__file__).resolve().parent / "java"


def java_executable() -> str:
    """The java binary, or a clear error saying how to install one."""
    java = shutil.which("java")
    if java is None:
        raise ReasonerError("Java is not installed; HermiT needs it "
                            "(Debian/Ubuntu: apt-get install default-jre-headless)")
    return java


def hermit_jar() -> Path:
    import owlready2

    jar = Path(owlready2.__file__).parent / "hermit" / "HermiT.jar"
    if not jar.is_file():
        raise ReasonerError(f"HermiT.jar not found at {jar}; reinstall owlready2")
    return jar


@dataclass
class ReasoningResult:
    """What HermiT concluded about one ontology."""

    consistent: bool
    unsatisfiable: list[tuple[str, str]] = field(default_factory=list)  # (IRI, label)
    message: str = ""


def _owlready_readable(path: Path, scratch: Path) -> Path:
    """owlready2 reads RDF/XML, OWL/XML and N-Triples; convert anything else (Turtle, ...) to N-Triples."""
    if path.suffix.lower() in (".owl", ".rdf", ".xml", ".nt"):
        return path
    from rdflib import Graph

    from .engines import _rdf_format_for

    graph = Graph()
    try:
        graph.parse(path, format=_rdf_format_for(path))
    except UsageError:
        raise
    except Exception as exc:
        raise UsageError(f"{path}: not valid RDF: {str(exc).splitlines()[0][:200]}") from exc
    graph.serialize(scratch, format="nt", encoding="utf-8")
    return scratch


def run_hermit(paths: list[Path]) -> ReasoningResult:
    """Load ``paths`` into a fresh owlready2 world and classify with HermiT."""
    import owlready2
    from owlready2 import OwlReadyInconsistentOntologyError, World, sync_reasoner

    java_executable()
    for path in paths:
        if not path.is_file():
            raise UsageError(f"{path}: no such file")
    world = World()
    ontologies = []
    with tempfile.TemporaryDirectory(prefix="dgs-kg-reason-") as tmp:
        for n, path in enumerate(paths):
            readable = _owlready_readable(path, Path(tmp) / f"{n}.nt")
            try:
                ontologies.append(world.get_ontology(readable.resolve().as_uri()).load())
            except Exception as exc:  # owlready2 raises many parser errors; all mean "cannot read"
                raise UsageError(f"{path}: owlready2 cannot read it: {exc}") from exc
    try:
        with ontologies[0]:
            sync_reasoner(world, infer_property_values=False, debug=0)
    except OwlReadyInconsistentOntologyError as exc:
        return ReasoningResult(False, [], str(exc).strip().splitlines()[-1] if str(exc).strip() else "")
    except owlready2.base.OwlReadyJavaError as exc:
        raise ReasonerError(f"HermiT failed: {str(exc).strip().splitlines()[-1][:300]}") from exc
    unsat = []
    for cls in world.inconsistent_classes():
        if cls is owlready2.Nothing:
            continue
        labels = list(getattr(cls, "label", []))
        unsat.append((cls.iri, str(labels[0]) if labels else cls.name))
    return ReasoningResult(True, sorted(unsat))


def java_class_dir(name: str) -> Path:
    """Folder holding ``<name>.class``; compiled once from the shipped source if the class is missing."""
    if (JAVA_DIR / f"{name}.class").is_file():
        return JAVA_DIR
    import hashlib

    source = JAVA_DIR / f"{name}.java"
    if not source.is_file():
        raise ReasonerError(f"{source} is missing; reinstall dgs-kg")
    # One folder per source version, so an upgrade never runs a stale class.
    digest = hashlib.sha1(source.read_bytes()).hexdigest()[:12]
    out = Path.home() / ".cache" / "dgs-kg" / "java" / digest
    if (out / f"{name}.class").is_file():
        return out
    javac = shutil.which("javac")
    if javac is None:
        raise ReasonerError(f"{name}.class is missing and javac is not installed to compile it "
                            "(apt-get install default-jdk-headless)")
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out) as tmp:  # compile aside, then move: safe if two run at once
        proc = subprocess.run([javac, "--release", "11", "-cp", str(hermit_jar()), "-d", tmp, str(source)],
                              capture_output=True, text=True)
        if proc.returncode != 0:
            raise ReasonerError(f"cannot compile {source}: "
                                f"{(proc.stderr.strip().splitlines() or ['javac failed'])[0][:300]}")
        for compiled in Path(tmp).glob("*.class"):
            os.replace(compiled, out / compiled.name)
    return out


def owl2_dl_violations(path: Path, class_dir: Path | None = None) -> list[str]:
    """OWL 2 DL profile violations of ``path`` as the OWL API reports them (empty list = in profile)."""
    if not path.is_file():
        raise UsageError(f"{path}: no such file")
    cp = f"{class_dir or java_class_dir('ProfileCheck')}:{hermit_jar()}"
    proc = subprocess.run([java_executable(), "-cp", cp, "ProfileCheck", str(path)],
                          capture_output=True, text=True, timeout=600)
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines or not lines[-1].startswith("VIOLATIONS "):
        err = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        raise ReasonerError(f"the OWL API could not check {path}: {err[:300]}")
    return lines[:-1]
