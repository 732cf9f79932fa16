"""The daily vigie job's activities: look at every parcours again, send référents' digests."""

from __future__ import annotations

from collections import Counter
from email.message import EmailMessage

from sqlmodel import col, select
from temporalio import activity
from temporalio.client import Client, WorkflowExecutionStatus
from temporalio.service import RPCError

from activities.messagerie import Messagerie
from activities.outbox import Outbox
from core.ids import parcours_workflow_id
from schemas.appels import Courriel
from schemas.common import Role
from schemas.notifications import Sorte
from schemas.parcours import ParcoursState, Statut
from schemas.projection import Projection
from schemas.vigie_quotidienne import BilanDigests, BilanReverification, TourneeVigie
from store.comptes import Compte
from store.db import SessionFactory, ecriture
from store.notifications import a_recapituler
from store.parcours import ParcoursRow
from store.projection import ecrire

PROFESSIONNELS = tuple(
    r.value
    for r in (
        Role.REFERENT,
        Role.COORDINATEUR,
        Role.ADMINISTRATEUR,
        Role.ADMIN_STRUCTURE,
        Role.ADMIN_TERRITOIRE,
    )
)
A_SIGNALER = (Statut.EN_ALERTE.value, Statut.EN_RUPTURE.value, Statut.EN_INCIDENT.value)


class VigieActivities:
    def __init__(
        self,
        sessions: SessionFactory,
        temporal: Client,
        messagerie: Messagerie,
        outbox: Outbox,
        public_url: str,
    ) -> None:
        self.sessions, self.temporal = sessions, temporal
        self.messagerie, self.outbox, self.public_url = messagerie, outbox, public_url

    @activity.defn(name="vigie.reverifier_parcours")
    async def reverifier_parcours(self, tournee: TourneeVigie) -> BilanReverification:
        """Signal every parcours that should be running: it re-evaluates its rules with today's
        date and rewrites its read-model row. Rows of workflows that closed without their last
        write are rewritten from the final state."""
        async with self.sessions() as session:
            ouverts = set(
                (
                    await session.exec(
                        select(ParcoursRow.id).where(ParcoursRow.statut != Statut.CLOS.value)
                    )
                ).all()
            )
        en_cours = {
            wf.id.removeprefix("parcours-")
            async for wf in self.temporal.list_workflows(
                "ParcoursType = 'parcours' AND ExecutionStatus = 'Running'"
            )
        }
        signales, reprojetes, introuvables = 0, 0, []
        for n, pid in enumerate(sorted(ouverts | en_cours)):
            activity.heartbeat(n)
            handle = self.temporal.get_workflow_handle(parcours_workflow_id(pid))
            if pid in en_cours:
                await handle.signal("reverifier")
                signales += 1
                continue
            try:
                description = await handle.describe()
                if description.status != WorkflowExecutionStatus.COMPLETED:
                    introuvables.append(pid)
                    continue
                state = await handle.query("etat", result_type=ParcoursState)
            except RPCError:
                introuvables.append(pid)
                continue
            async with self.sessions() as session:
                await ecriture(session)
                await ecrire(
                    session,
                    Projection(
                        etat=state.model_copy(update={"timeline": [], "regles": None}),
                        evenements=state.timeline,
                    ),
                )
                await session.commit()
            reprojetes += 1
        return BilanReverification(
            signales=signales, reprojetes=reprojetes, introuvables=introuvables
        )

    @activity.defn(name="vigie.envoyer_digests")
    async def envoyer_digests(self, tournee: TourneeVigie) -> BilanDigests:
        """One e-mail (and in-app notification) per référent with parcours needing attention."""
        async with self.sessions() as session:
            # Every professional with an account: référents for their parcours, and anyone
            # for the notifications they asked to find in this digest (preferences per kind).
            referents = (
                await session.exec(
                    select(Compte).where(
                        col(Compte.role).in_(PROFESSIONNELS), col(Compte.actif).is_(True)
                    )
                )
            ).all()
            recaps = {c.id: await a_recapituler(session, c.id) for c in referents}
            rows = (
                await session.exec(
                    select(ParcoursRow)
                    .where(col(ParcoursRow.statut).in_(A_SIGNALER))
                    .order_by(col(ParcoursRow.statut).desc())
                )
            ).all()
        envoyes: list[str] = []
        for compte in referents:
            miens = [r for r in rows if r.referent_id == compte.id]
            if not miens and not recaps[compte.id]:
                continue
            cle = f"digest:{tournee.jour.isoformat()}:{compte.id}"
            courriel = self._digest(tournee, miens, recaps[compte.id])
            await self.messagerie.notifier(cle, [compte], courriel)
            if not await self.outbox.deja_envoye(cle):
                message = EmailMessage()
                message["From"], message["To"] = self.messagerie.expediteur, compte.email
                message["Subject"] = courriel.sujet
                message["Message-ID"] = (
                    f"<{cle.replace(':', '.')}@parcours.spie74>"  # ':' not allowed
                )
                message.set_content(courriel.texte)
                await self.messagerie.envoyer_message(message)
                await self.outbox.noter(cle, "courriel", compte.email, courriel.sujet)
            envoyes.append(compte.id)
            activity.heartbeat(len(envoyes))
        return BilanDigests(envoyes=len(envoyes), destinataires=envoyes)

    def _digest(
        self,
        tournee: TourneeVigie,
        rows: list[ParcoursRow],
        recap: list[tuple[Sorte, int]] | None = None,
    ) -> Courriel:
        """Counts and links only: an e-mail leaves the platform (mailboxes, phones, forwards),
        so it names nobody — the names are behind the login, in the cockpit."""
        if not rows:
            return self._notifications_seules(tournee, recap or [])
        par_statut = Counter(Statut(r.statut) for r in rows)
        lignes = [
            f"- {statut.label.lower()} : {n} — {self.public_url}/?statut={statut.value}"
            for statut in (Statut.EN_RUPTURE, Statut.EN_INCIDENT, Statut.EN_ALERTE)
            if (n := par_statut[statut])
        ]
        jour = tournee.jour.strftime("%d/%m/%Y")
        total = len(rows)
        return Courriel(
            destinataire="",
            sujet=f"Parcours à regarder aujourd'hui ({total}) — {jour}",
            texte=f"Bonjour,\n\n{total} parcours de votre portefeuille "
            + ("demandent" if total > 1 else "demande")
            + " votre attention :\n\n"
            + "\n".join(lignes)
            + self._section_notifications(recap or [])
            + "\n\nLe détail de chaque parcours et de ses alertes est dans le cockpit, "
            f"après connexion : {self.public_url}/",
            lien=f"{self.public_url}/",
        )

    def _section_notifications(self, recap: list[tuple[Sorte, int]]) -> str:
        if not recap:
            return ""
        lignes = [f"- {s.libelle.lower()} : {n}" for s, n in recap]
        return (
            "\n\nNotifications non lues :\n\n"
            + "\n".join(lignes)
            + f"\n\nÀ lire dans le cockpit : {self.public_url}/notifications"
        )

    def _notifications_seules(
        self, tournee: TourneeVigie, recap: list[tuple[Sorte, int]]
    ) -> Courriel:
        total = sum(n for _, n in recap)
        return Courriel(
            destinataire="",
            sujet=f"Notifications non lues ({total}) — {tournee.jour.strftime('%d/%m/%Y')}",
            texte="Bonjour," + self._section_notifications(recap),
            lien=f"{self.public_url}/notifications",
        )
