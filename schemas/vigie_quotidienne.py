"""Inputs and results of the daily vigie job (Temporal Schedule)."""

from __future__ import annotations

from datetime import date

from schemas.common import Model


class OptionsVigie(Model):
    """Pause between the re-check and the digests, so that the parcours have rewritten their
    read-model rows before the digests read them."""

    pause_s: float = 120.0


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
