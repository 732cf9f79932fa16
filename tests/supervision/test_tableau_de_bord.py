"""The Grafana dashboard and the Prometheus alert rules of deploy/: they load, are well formed,
and every metric they name is one the platform exports (web: core/metriques.py; worker: the
Temporal SDK's, checked against a real scrape in test_metriques.py) or the Temporal server's."""

from __future__ import annotations

import json
import re
from typing import Any

import yaml
from prometheus_client import REGISTRY

from core import metriques
from core.settings import ROOT

DEPLOY = ROOT / "deploy"
TABLEAU = DEPLOY / "grafana" / "tableaux" / "parcours.json"
# The SDK's metrics that the dashboard and the rules use (test_metriques.py scrapes them from a
# real worker; the failures' counter appears with the first failure).
SDK = {
    "temporal_activity_execution_latency_bucket",
    "temporal_activity_execution_latency_count",
    "temporal_activity_schedule_to_start_latency_bucket",
    "temporal_workflow_task_schedule_to_start_latency_bucket",
    "temporal_worker_task_slots_available",
    "temporal_sticky_cache_size",
    "temporal_sticky_cache_hit_total",
}
SDK_SUR_ECHEC = {"temporal_activity_execution_failed_total"}
# Recorded by the vigie's workflow through the SDK's meter: served by the workers, not by the
# web's registry (tests/supervision/test_vigie_mesuree.py reads it from a real worker).
VIGIE = {metriques.VIGIE_DUREE + s for s in ("_bucket", "_count", "_sum")}
SERVEUR_TEMPORAL = {"service_requests", "service_errors", "persistence_latency_bucket"}
PROMETHEUS = {"up"}
NOM = re.compile(
    r"\b((?:parcours|temporal)_[a-z_]+|service_[a-z_]+|persistence_[a-z_]+|up)\b(?!\s*\()"
)


def _exportees() -> set[str]:
    noms = set()
    for famille in REGISTRY.collect():
        if famille.name.startswith(metriques.PREFIXE):
            noms |= {famille.name + s for s in ("", "_total", "_bucket", "_count", "_sum")}
    return noms


CONNUES = _exportees() | SDK | SDK_SUR_ECHEC | VIGIE | SERVEUR_TEMPORAL | PROMETHEUS


def _inconnues(expr: str) -> set[str]:
    sans_textes = re.sub(r'"[^"]*"', '""', expr)  # label values are not metric names
    return set(NOM.findall(sans_textes)) - CONNUES


def _panneaux(tableau: dict[str, Any]) -> list[dict[str, Any]]:
    return [p for p in tableau["panels"] if p["type"] != "row"]


def test_le_tableau_de_bord_se_charge_et_n_utilise_que_des_metriques_exportees() -> None:
    tableau = json.loads(TABLEAU.read_text(encoding="utf-8"))
    assert {"uid", "title", "schemaVersion", "panels", "time"} <= set(tableau)
    assert isinstance(tableau["schemaVersion"], int)
    ids = [p["id"] for p in tableau["panels"]]
    assert len(ids) == len(set(ids)), "identifiants de panneaux en double"
    source = yaml.safe_load(
        (DEPLOY / "grafana/provisioning/datasources/prometheus.yml").read_text()
    )["datasources"][0]["uid"]
    for p in _panneaux(tableau):
        position = p["gridPos"]
        assert position["x"] + position["w"] <= 24, p["title"]
        assert position["h"] > 0, p["title"]
        assert p["datasource"]["uid"] == source, p["title"]
        assert p["targets"], p["title"]
        for cible in p["targets"]:
            assert cible["datasource"]["uid"] == source
            assert _inconnues(cible["expr"]) == set(), (p["title"], cible["expr"])
    utilisees = " ".join(c["expr"] for p in _panneaux(tableau) for c in p["targets"])
    for attendue in (
        "parcours_http_requetes_total",
        "parcours_commandes_total",
        "parcours_evenements_partenaires_total",
        "parcours_parcours",
        "parcours_incidents_ouverts",
        "parcours_evenements_en_attente",
        "parcours_envois_en_attente",
        "temporal_activity_execution_failed_total",
        "service_requests",
    ):
        assert attendue in utilisees, attendue


def test_le_tableau_de_bord_est_celui_que_grafana_charge() -> None:
    fournisseur = yaml.safe_load(
        (DEPLOY / "grafana/provisioning/dashboards/parcours.yml").read_text()
    )["providers"][0]
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    montages = compose["services"]["grafana"]["volumes"]
    assert f"./deploy/grafana/tableaux:{fournisseur['options']['path']}:ro" in montages


def test_les_regles_d_alerte_sont_des_donnees_valides() -> None:
    regles = yaml.safe_load((DEPLOY / "prometheus/alertes.yml").read_text())
    toutes = [r for groupe in regles["groups"] for r in groupe["rules"]]
    noms = {r["alert"] for r in toutes}
    assert {
        "IncidentsEnHausse",
        "EvenementsNonLivres",
        "LatenceDeDemarrageDesActivites",
        "VigieLente",
    } <= noms
    for r in toutes:
        assert re.fullmatch(r"\d+[smh]", r["for"]), r["alert"]
        assert r["labels"]["severity"] in ("avertissement", "critique"), r["alert"]
        assert r["annotations"]["summary"], r["alert"]
        assert r["annotations"]["description"], r["alert"]
        assert _inconnues(r["expr"]) == set(), (r["alert"], r["expr"])
        assert r["expr"].count("(") == r["expr"].count(")"), r["alert"]
    prometheus = yaml.safe_load((DEPLOY / "prometheus/prometheus.yml").read_text())
    assert prometheus["rule_files"] == ["/etc/prometheus/alertes.yml"]


def test_le_proxy_ne_sert_jamais_les_metriques() -> None:
    caddy = (DEPLOY / "Caddyfile").read_text()
    assert re.search(r"@supervision path /metrics /metrics/\*\s+respond @supervision 404", caddy)


def test_noms_connus_ne_laissent_pas_passer_une_faute_de_frappe() -> None:
    assert _inconnues("rate(parcours_comandes_total[5m])") == {"parcours_comandes_total"}
    assert _inconnues('sum by (x) (rate(parcours_commandes_total{issue="ok"}[5m]))') == set()
