"""Inputs and results of the daily vigie job (Temporal Schedule)."""

from __future__ import annotations

from datetime import date

from schemas.common import Model


class TourneeVigie(Model):
    jour: date


class BilanReverification(Model):
    signales: int
    reprojetes: int
    introuvables: list[str]


class BilanDigests(Model):
    envoyes: int
    destinataires: list[str]


class BilanVigie(Model):
    reverification: BilanReverification
    relivres: int
    digests: BilanDigests
