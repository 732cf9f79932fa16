"""The SMTP catcher keeps every message, once per Message-ID."""

from __future__ import annotations

import asyncio
import smtplib
from email.message import EmailMessage


def message(message_id: str | None, to: str = "usager@example.org") -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = "parcours@spie74.local"
    mail["To"] = to
    mail["Subject"] = "Rappel : rendez-vous de lundi"
    if message_id:
        mail["Message-ID"] = message_id
    mail.set_content("Bonjour,\nvotre rendez-vous est lundi à 9 h.\n")
    return mail


def envoyer(simulateur, *mails: EmailMessage) -> None:
    with smtplib.SMTP(simulateur.smtp_host, simulateur.smtp_port, timeout=5) as smtp:
        for mail in mails:
            smtp.send_message(mail)


async def test_courriel_recu(simulateur):
    await asyncio.to_thread(envoyer, simulateur, message("<cle-1@parcours.spie74>"))
    [recu] = await simulateur.courriels()
    assert recu["message_id"] == "<cle-1@parcours.spie74>"
    assert recu["expediteur"] == "parcours@spie74.local"
    assert recu["destinataires"] == ["usager@example.org"]
    assert recu["sujet"] == "Rappel : rendez-vous de lundi"
    assert recu["texte"] == "Bonjour,\nvotre rendez-vous est lundi à 9 h.\n"
    assert recu["livraisons"] == 1
    assert recu["recu_le"]


async def test_meme_message_id_stocke_une_fois(simulateur):
    meme = "<cle-2@parcours.spie74>"
    await asyncio.to_thread(envoyer, simulateur, message(meme), message(meme))
    await asyncio.to_thread(envoyer, simulateur, message(meme))  # a retry, new connection
    await asyncio.to_thread(envoyer, simulateur, message("<cle-3@parcours.spie74>"))
    recus = {c["message_id"]: c for c in await simulateur.courriels()}
    assert len(recus) == 2
    assert recus[meme]["livraisons"] == 3


async def test_sans_message_id_et_filtre(simulateur):
    await asyncio.to_thread(
        envoyer, simulateur, message(None, "a@example.org"), message(None, "b@example.org")
    )
    assert len(await simulateur.courriels()) == 2
    [pour_b] = await simulateur.courriels(destinataire="b@example.org")
    assert pour_b["destinataires"] == ["b@example.org"]


async def test_remise_a_zero_vide_les_courriels(simulateur):
    await asyncio.to_thread(envoyer, simulateur, message("<cle-4@parcours.spie74>"))
    await simulateur.reset()
    assert await simulateur.courriels() == []
