"""kedro-emrs project check: the Kedro project loaded inside its image, without Spark and without data.

Run by kedro-emrs with the image's own Python (`python -c <this> --package P [--env E] [--pipeline N]... [--param K=V]...`)
in a container without network, read-only but for /tmp, and without AWS credentials; the conf archive
(conf-<package>.tar.gz) arrives on stdin and is handed to Kedro as --conf-source, as the EMR entry point would be. It
imports every module of the package, creates the session for the env, resolves the pipelines and constructs (without
loading) every dataset they use, then prints one line: the marker and the checks as JSON.
"""
import argparse
import importlib
import json
import os
import pkgutil
import sys

MARKER = "KEDRO_EMRS_PROJECT_CHECK "
ORDER = ["project:import", "project:params", "project:pipelines", "project:catalog"]
checks = {}


def put(name, status, reason):
    checks[name] = {"name": name, "status": status, "reason": reason}


def describe(error):
    """One line for an error, naming a missing module (the usual cause: a package the image lacks)."""
    missing = error if isinstance(error, ModuleNotFoundError) else None
    cause = error
    while missing is None and cause is not None:
        cause = cause.__cause__ or cause.__context__
        if isinstance(cause, ModuleNotFoundError):
            missing = cause
    text = " ".join(str(error).split())
    if len(text) > 400:
        text = text[:400] + " …"
    if type(error).__name__ == "MissingConfigException" and "conf/" in text:
        return f"{text} — the conf archive has no such env folder (conf/local is always left out): pass the job's " \
               f"--env (e.g. emr) naming a folder that is in the archive"
    if missing is not None and missing.name:
        return f"no module named '{missing.name}' in the image ({type(error).__name__}: {text}): add the package " \
               f"that provides it to the project's requirements (e.g. kedro-datasets[spark], s3fs) and rebuild"
    return f"{type(error).__name__}: {text}"


def pipeline_datasets(pipeline):
    if hasattr(pipeline, "datasets"):
        return set(pipeline.datasets())
    names = set()
    for node in pipeline.nodes:
        names.update(node.inputs)
        names.update(node.outputs)
    return names


def get_dataset(catalog, name):
    """The dataset object for `name` (constructed, not loaded), or None where Kedro would use a MemoryDataset."""
    if hasattr(catalog, "_get_dataset") and not hasattr(catalog, "get"):
        return catalog._get_dataset(name)
    return catalog.get(name)


def catalog_without_parameters(context):
    """The env's catalog as the context makes it, less the parameters (project:params checks those on its own)."""
    from kedro.config import MissingConfigException
    from kedro.framework.project import settings

    conf_catalog = context.config_loader["catalog"]
    try:
        credentials = context.config_loader["credentials"]
    except MissingConfigException:
        credentials = {}  # conf/local, where credentials usually live, is not in the archive: the role's are used
    return settings.DATA_CATALOG_CLASS.from_config(catalog=conf_catalog, credentials=credentials)


def run(args):
    # 1. project:import — the package and every module in it (the pipelines' nodes and what they import).
    try:
        package = importlib.import_module(args.package)
    except Exception as e:  # noqa: BLE001 - reported as the check's reason
        put("project:import", "FAIL", f"import {args.package}: {describe(e)}")
        for name in ("project:pipelines", "project:catalog", "project:params"):
            put(name, "SKIPPED", f"the package {args.package} does not import")
        return
    failed = {}
    count = 1

    def on_error(module_name):
        failed.setdefault(module_name, describe(sys.exc_info()[1]))

    for module in pkgutil.walk_packages(package.__path__, args.package + ".", onerror=on_error):
        if module.name in failed:
            continue
        try:
            importlib.import_module(module.name)
            count += 1
        except Exception as e:  # noqa: BLE001
            failed.setdefault(module.name, describe(e))
    if failed:
        put("project:import", "FAIL", "; ".join(f"{m}: {why}" for m, why in failed.items()))
    else:
        put("project:import", "PASS", f"{count} modules of {args.package} import with the image's Python "
                                      f"{sys.version.split()[0]}")

    # The session for the env, with the conf archive as --conf-source (and the job's --params).
    from kedro.framework.project import configure_project, pipelines
    from kedro.framework.session import KedroSession

    configure_project(args.package)
    params = dict(p.split("=", 1) for p in args.param)
    try:
        session = KedroSession.create(env=args.env, conf_source=args.conf, runtime_params=params or None)
        context = session.load_context()
    except Exception as e:  # noqa: BLE001
        put("project:params", "FAIL", f"the Kedro session for env {args.env or 'local'} could not be created: {describe(e)}")
        put("project:pipelines", "SKIPPED", "no session")
        put("project:catalog", "SKIPPED", "no session")
        return

    # 2. project:params — the env's parameters load (YAML, interpolation, runtime params). Read from the config loader:
    # the context's own params turn a missing env folder into a warning and no parameters, and the job then fails later.
    try:
        context.config_loader["parameters"]
        loaded = context.params
        put("project:params", "PASS", f"{len(loaded)} parameters load for env {args.env or 'local'}")
    except Exception as e:  # noqa: BLE001
        put("project:params", "FAIL", f"the parameters of env {args.env or 'local'} do not load: {describe(e)}")

    # 3. project:pipelines — the registry loads and has every pipeline asked for.
    wanted = args.pipeline or ["__default__"]
    try:
        names = sorted(pipelines.keys())
    except Exception as e:  # noqa: BLE001
        if failed:  # the registry imports the modules project:import found broken: that check says why
            put("project:pipelines", "SKIPPED", f"the pipeline registry imports {', '.join(failed)}, which does not "
                                                f"import (project:import)")
        else:
            put("project:pipelines", "FAIL", f"the pipeline registry does not load: {describe(e)}")
        put("project:catalog", "SKIPPED", "the pipeline registry does not load, so the datasets are unknown")
        return
    absent = [p for p in wanted if p not in names]
    if absent:
        put("project:pipelines", "FAIL", f"no pipeline {', '.join(absent)} in the registry (it has: {', '.join(names)}): "
                                         f"fix the pipeline names (--pipeline) or register_pipelines()")
    else:
        put("project:pipelines", "PASS", f"{', '.join(wanted)} in the registry ({len(names)} pipelines)")

    # 4. project:catalog — every dataset the pipelines use resolves to a class and is constructed, not loaded.
    present = [p for p in wanted if p in names]
    if not present:
        put("project:catalog", "SKIPPED", f"none of {', '.join(wanted)} is in the registry: no datasets to check")
        return
    datasets = set()
    for name in present:
        datasets |= pipeline_datasets(pipelines[name])
    datasets = sorted(d for d in datasets if d != "parameters" and not d.startswith("params:"))
    try:
        catalog = catalog_without_parameters(context)
    except Exception as e:  # noqa: BLE001
        put("project:catalog", "FAIL", f"the catalog of env {args.env or 'local'} does not load: {describe(e)}")
        return
    bad = []
    built = 0
    for name in datasets:
        try:
            if get_dataset(catalog, name) is not None:
                built += 1
        except Exception as e:  # noqa: BLE001
            bad.append(f"{name}: {describe(e)}")
    if bad:
        put("project:catalog", "FAIL", "; ".join(bad))
    else:
        put("project:catalog", "PASS", f"{built} datasets constructed, {len(datasets) - built} in memory, "
                                       f"for {len(datasets)} used by {', '.join(present)}")


def main():
    parser = argparse.ArgumentParser(prog="kedro-emrs project check")
    parser.add_argument("--package", required=True)
    parser.add_argument("--env")
    parser.add_argument("--pipeline", action="append", default=[])
    parser.add_argument("--param", action="append", default=[])
    parser.add_argument("--conf", default="/tmp/kedro-emrs-check/conf.tar.gz")
    args = parser.parse_args(sys.argv[1:])
    os.makedirs(os.path.dirname(args.conf), exist_ok=True)
    with open(args.conf, "wb") as f:
        f.write(sys.stdin.buffer.read())
    os.chdir(os.path.dirname(args.conf))
    try:
        run(args)
    except Exception as e:  # noqa: BLE001 - anything else still ends in the report, on the check it stopped in
        stopped = next(n for n in ORDER if n not in checks) if len(checks) < len(ORDER) else ORDER[-1]
        put(stopped, "FAIL", f"the check stopped: {describe(e)}")
    finally:
        sys.stdout.flush()
        print(MARKER + json.dumps([checks[n] for n in ORDER if n in checks]), flush=True)


if __name__ == "__main__":
    main()
