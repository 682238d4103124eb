from django.urls import path

from .views import actions, case, evaluation, history, intake, person, plan, referral

app_name = "cases"

urlpatterns = [
    path("", case.case_list, name="list"),
    path("<int:pk>/", case.case_detail, name="detail"),
    path("<int:pk>/stap/", case.case_transition, name="transition"),
    path("<int:pk>/gegevens/", case.case_edit, name="edit"),
    path("<int:pk>/personen/<int:person_pk>/", person.person_edit, name="person_edit"),
    path("<int:pk>/wijzigingen/", history.case_history, name="history"),
    path("<int:pk>/betrokkenen/nieuw/", case.involvement_add, name="involvement_add"),
    path(
        "<int:pk>/betrokkenen/<int:organisation_pk>/beeindigen/",
        case.involvement_end,
        name="involvement_end",
    ),
    path("<int:pk>/delen/", case.sensitive_share, name="sensitive_share"),
    path("<int:pk>/journaal/nieuw/", case.journal_add, name="journal_add"),
    path("<int:pk>/journaal/<int:entry_pk>/", case.journal_entry, name="journal_entry"),
    path("<int:pk>/documenten/nieuw/", case.document_upload, name="document_upload"),
    path(
        "<int:pk>/documenten/<int:document_pk>/", case.document_download, name="document_download"
    ),
    # Intake (coordinator) and the partners' request inbox: cases/views/intake.py
    path("intake/", intake.intake_list, name="intake_list"),
    path("<int:pk>/intake/", intake.intake_detail, name="intake"),
    path("<int:pk>/intake/in-behandeling/", intake.intake_take, name="intake_take"),
    path("<int:pk>/intake/casemanager/", intake.intake_assign, name="intake_assign"),
    path("<int:pk>/intake/criteria/", intake.intake_criteria, name="intake_criteria"),
    path("<int:pk>/intake/afwijking/", intake.intake_override, name="intake_override"),
    path("<int:pk>/intake/toestemming/", intake.intake_consent, name="intake_consent"),
    path("<int:pk>/intake/kris/", intake.intake_kris, name="intake_kris"),
    path("<int:pk>/intake/screening/", intake.screening_result, name="screening_result"),
    path(
        "<int:pk>/intake/screening/aanvragen/",
        intake.intake_screening_request,
        name="intake_screening_request",
    ),
    path(
        "<int:pk>/intake/screening/afzien/",
        intake.intake_screening_waive,
        name="intake_screening_waive",
    ),
    path(
        "<int:pk>/intake/recidive/<int:match_pk>/",
        intake.intake_recidivism,
        name="intake_recidivism",
    ),
    path("<int:pk>/intake/koppelen/", intake.intake_attach, name="intake_attach"),
    path("<int:pk>/intake/aannemen/", intake.intake_accept, name="intake_accept"),
    path("<int:pk>/intake/doorverwijzen/", intake.intake_redirect, name="intake_redirect"),
    path("verzoeken/", intake.request_inbox, name="requests"),
    path("verzoeken/toestemming/<int:pk>/", intake.consent_answer, name="consent_answer"),
    path("verzoeken/screening/<int:pk>/", intake.screening_record, name="screening_record"),
    # Plan of approach and "my actions" (issue 12): cases/views/plan.py; an action marked
    # done or cancelled (from "my actions", the plan and the aftercare page): views/actions.py
    path("<int:pk>/plan/", plan.plan_page, name="plan"),
    path("<int:pk>/plan/<int:number>/", plan.plan_version, name="plan_version"),
    path("<int:pk>/plan/bewerken/", plan.plan_edit, name="plan_edit"),
    path("<int:pk>/plan/pdf/", plan.plan_pdf, name="plan_pdf"),
    path("<int:pk>/plan/leefgebieden/", plan.plan_scores, name="plan_scores"),
    path("<int:pk>/plan/akkoord/", plan.plan_agree, name="plan_agree"),
    path("<int:pk>/plan/vaststellen/", plan.plan_mark_agreed, name="plan_mark_agreed"),
    path("<int:pk>/plan/doelen/nieuw/", plan.goal_add, name="goal_add"),
    path("<int:pk>/plan/doelen/<int:goal_pk>/", plan.goal_edit, name="goal_edit"),
    path("<int:pk>/plan/doelen/<int:goal_pk>/verwijderen/", plan.goal_remove, name="goal_remove"),
    path("<int:pk>/plan/doelen/<int:goal_pk>/acties/nieuw/", plan.action_add, name="action_add"),
    path("acties/personen/", plan.organisation_persons, name="organisation_persons"),
    path("acties/", plan.my_actions, name="my_actions"),
    path("acties/<int:action_pk>/gereed/", actions.action_done, name="action_done"),
    path("acties/<int:action_pk>/annuleren/", actions.action_cancel, name="action_cancel"),
    path("aanmelden/", referral.referral_start, name="referral_start"),
    path("aanmeldingen/<int:pk>/", referral.referral_edit, name="referral_edit"),
    path("aanmeldingen/<int:pk>/ontvangen/", referral.referral_received, name="referral_received"),
    path("mijn-aanmeldingen/", referral.my_referrals, name="my_referrals"),
    # After the plan (issue 12): investigation, evaluations, aftercare, material support and
    # relocation: cases/views/evaluation.py
    path("<int:pk>/onderzoek/", evaluation.investigation, name="investigation"),
    path("<int:pk>/evaluaties/", evaluation.evaluation_list, name="evaluations"),
    path("<int:pk>/evaluaties/nieuw/", evaluation.evaluation_add, name="evaluation_add"),
    path(
        "<int:pk>/evaluaties/eindevaluatie/", evaluation.evaluation_final, name="evaluation_final"
    ),
    path("<int:pk>/nazorg/", evaluation.aftercare, name="aftercare"),
    path(
        "<int:pk>/nazorg/acties/nieuw/",
        evaluation.aftercare_action_add,
        name="aftercare_action_add",
    ),
    path("<int:pk>/wisselgeld-en-verhuizing/", evaluation.support, name="support"),
    path("<int:pk>/wisselgeld/aanvragen/", evaluation.support_request, name="support_request"),
    path(
        "<int:pk>/wisselgeld/<int:support_pk>/besluit/",
        evaluation.support_decide,
        name="support_decide",
    ),
    path("<int:pk>/verhuizing/advies/", evaluation.relocation_advise, name="relocation_advise"),
    path(
        "<int:pk>/verhuizing/<int:relocation_pk>/voorstel/",
        evaluation.relocation_propose,
        name="relocation_propose",
    ),
    path(
        "<int:pk>/verhuizing/<int:relocation_pk>/vergunning/",
        evaluation.relocation_permit,
        name="relocation_permit",
    ),
    path("wisselgeld-te-beslissen/", evaluation.support_inbox, name="support_inbox"),
    path("<int:pk>/ontruimingsadvies/", evaluation.eviction, name="eviction"),
    path("<int:pk>/ontruimingsadvies/nieuw/", evaluation.eviction_advise, name="eviction_advise"),
    path(
        "<int:pk>/ontruimingsadvies/<int:advice_pk>/sfeerverslag/",
        evaluation.situation_report,
        name="situation_report",
    ),
]
