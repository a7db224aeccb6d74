"""Demo catalog: the five certification tracks, one published course per track with real courseware in
English and another language (see ``demo_content``), and the demo learner's enrolments and progress."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from lms.core.demo import DemoContext
from lms.courses import media, mentor
from lms.courses.content import sanitise_html
from lms.courses.models import (
    DEFAULT_MOVE_ON,
    CertificationTrack,
    Course,
    CourseModule,
    CoursePrice,
    CourseVersion,
    CourseVersionStatus,
    EnrolmentSource,
    LabSubmission,
    Lesson,
    LessonKind,
    LessonMedia,
    LessonProgress,
    MediaRole,
    MentorExchange,
    PracticeQuestion,
)
from lms.courses.services import authoring, labs, quizzes
from lms.courses.services.enrolment import enrol, set_prerequisites
from lms.courses.services.progress import Verb, record
from lms.exams.question_types import question_type
from lms.extensions import db

MEDIA_FOLDER = Path(__file__).resolve().parent / "demo_media"
OPTION_IDS = "abcdefghij"

TRACKS = [
    (
        "ESS",
        "ai-plus-essentials",
        {
            "en": "AI+ Essentials",
            "ar": "الذكاء الاصطناعي+ الأساسيات",
            "es": "AI+ Fundamentos",
            "fr": "AI+ Essentiels",
            "de": "AI+ Grundlagen",
            "ja": "AI+ エッセンシャル",
        },
        {
            "en": "What AI can and cannot do, used safely at work.",
            "ar": "ما يستطيعه الذكاء الاصطناعي وما لا يستطيعه، واستخدامه بأمان في العمل.",
            "es": "Lo que la IA puede y no puede hacer, usada con seguridad en el trabajo.",
            "fr": "Ce que l'IA peut et ne peut pas faire, utilisée en toute sécurité au travail.",
            "de": "Was KI kann und was nicht – sicher im Beruf eingesetzt.",
            "ja": "AIにできること・できないことと、職場での安全な使い方。",
        },
    ),
    (
        "DEV",
        "ai-plus-developer",
        {
            "en": "AI+ Developer",
            "ar": "الذكاء الاصطناعي+ للمطورين",
            "es": "AI+ Desarrollador",
            "fr": "AI+ Développeur",
            "de": "AI+ Entwickler",
            "ja": "AI+ デベロッパー",
        },
        {
            "en": "Build, evaluate and ship applications on machine-learning models.",
            "ar": "بناء تطبيقات على نماذج تعلم الآلة وتقييمها وإطلاقها.",
            "es": "Construir, evaluar y publicar aplicaciones sobre modelos de aprendizaje automático.",
            "fr": "Concevoir, évaluer et livrer des applications fondées sur des modèles d'apprentissage automatique.",
            "de": "Anwendungen auf Basis von ML-Modellen bauen, bewerten und ausliefern.",
            "ja": "機械学習モデルを使ったアプリケーションの構築・評価・リリース。",
        },
    ),
    (
        "EXE",
        "ai-plus-executive",
        {
            "en": "AI+ Executive",
            "ar": "الذكاء الاصطناعي+ للقيادات",
            "es": "AI+ Ejecutivo",
            "fr": "AI+ Dirigeant",
            "de": "AI+ Führungskraft",
            "ja": "AI+ エグゼクティブ",
        },
        {
            "en": "Lead AI strategy, investment and governance.",
            "ar": "قيادة استراتيجية الذكاء الاصطناعي والاستثمار فيه وحوكمته.",
            "es": "Liderar la estrategia, la inversión y la gobernanza de la IA.",
            "fr": "Piloter la stratégie, l'investissement et la gouvernance de l'IA.",
            "de": "KI-Strategie, Investitionen und Governance verantworten.",
            "ja": "AI戦略・投資・ガバナンスを率いる。",
        },
    ),
    (
        "HLT",
        "ai-plus-healthcare",
        {
            "en": "AI+ Healthcare",
            "ar": "الذكاء الاصطناعي+ للرعاية الصحية",
            "es": "AI+ Salud",
            "fr": "AI+ Santé",
            "de": "AI+ Gesundheitswesen",
            "ja": "AI+ ヘルスケア",
        },
        {
            "en": "Use AI in clinical settings safely, fairly and within regulation.",
            "ar": "استخدام الذكاء الاصطناعي في البيئات السريرية بأمان وعدالة وضمن الأنظمة.",
            "es": "Usar la IA en entornos clínicos de forma segura, justa y conforme a la normativa.",
            "fr": "Utiliser l'IA en milieu clinique de façon sûre, équitable et réglementaire.",
            "de": "KI im klinischen Umfeld sicher, fair und regelkonform einsetzen.",
            "ja": "臨床現場でAIを安全・公正に、規制に沿って活用する。",
        },
    ),
    (
        "EDU",
        "ai-plus-educator",
        {
            "en": "AI+ Educator",
            "ar": "الذكاء الاصطناعي+ للمعلمين",
            "es": "AI+ Educador",
            "fr": "AI+ Éducateur",
            "de": "AI+ Lehrkraft",
            "ja": "AI+ エデュケーター",
        },
        {
            "en": "Teach with AI and teach about AI, with integrity.",
            "ar": "التدريس باستخدام الذكاء الاصطناعي والتدريس عنه، بنزاهة.",
            "es": "Enseñar con IA y sobre la IA, con integridad.",
            "fr": "Enseigner avec l'IA et sur l'IA, avec intégrité.",
            "de": "Mit KI und über KI unterrichten – mit Integrität.",
            "ja": "AIを使って教え、AIについて誠実に教える。",
        },
    ),
]


def seed(context: DemoContext) -> None:
    for position, (code, slug, names, summaries) in enumerate(TRACKS):
        track = db.session.execute(
            sa.select(CertificationTrack).where(CertificationTrack.code == code)
        ).scalar_one_or_none()
        if track is None:
            track = CertificationTrack(code=code, slug=slug, position=position)
            db.session.add(track)
        track.names = names
        track.summaries = summaries
        context.objects.setdefault("tracks", {})[code] = track
    db.session.flush()

    from lms.courses.demo_content import COURSES

    staff = context.accounts.get("staff@demo.lms")
    actor_id = staff.id if staff is not None else None
    courses = context.objects.setdefault("courses", {})
    for data in COURSES:
        course = _course(data, context.objects["tracks"][data["track"]], actor_id)
        courses[data["track"]] = course
    for data in COURSES:
        required = [courses_by_code(code) for code in data.get("prerequisites", [])]
        if required and not courses[data["track"]].prerequisites:
            set_prerequisites(courses[data["track"]], [c.id for c in required], actor_id=actor_id)
    db.session.flush()
    _learner_journey(context)


def courses_by_code(code: str) -> Course:
    return db.session.execute(sa.select(Course).where(Course.code == code)).scalar_one()


# --- courseware ----------------------------------------------------------------------------------


def _course(data: dict[str, Any], track: CertificationTrack, actor_id: int | None) -> Course:
    existing = db.session.execute(sa.select(Course).where(Course.code == data["code"])).scalar_one_or_none()
    if existing is not None:
        return existing
    course = Course(track=track, code=data["code"], slug=data["slug"], primary_language=data["primary"])
    version = CourseVersion(
        number=1,
        status=CourseVersionStatus.DRAFT,
        titles=data["titles"],
        descriptions=data["descriptions"],
        level=data["level"],
        duration_hours=data["duration_hours"],
        languages=data["languages"],
        delivery_modes=data["modes"],
        access_days=data["access_days"],
        attendance_threshold=80,
    )
    for currency, (list_amount, academic, association) in data["prices"].items():
        version.prices.append(
            CoursePrice(
                currency=currency, list_amount=list_amount, academic_amount=academic, association_amount=association
            )
        )
    course.versions.append(version)
    for module_position, module_data in enumerate(data["modules"], start=1):
        module = CourseModule(
            position=module_position, titles=module_data["titles"], summaries=module_data.get("summaries", {})
        )
        version.modules.append(module)
        for lesson_position, lesson_data in enumerate(module_data["lessons"], start=1):
            module.lessons.append(_lesson(lesson_data, lesson_position, data))
    db.session.add(course)
    db.session.flush()
    authoring.publish_version(version, actor_id=actor_id)
    return course


def _lesson(data: dict[str, Any], position: int, course: dict[str, Any]) -> Lesson:
    kind = LessonKind(data["kind"])
    lesson = Lesson(
        kind=kind,
        position=position,
        move_on=DEFAULT_MOVE_ON[kind],
        duration_minutes=data["minutes"],
        titles=data["titles"],
        bodies={lang: sanitise_html(html) for lang, html in data.get("bodies", {}).items()},
        transcripts=data.get("transcripts", {}),
        settings={},
    )
    if kind == LessonKind.VIDEO:
        lesson.media.append(_media_file(MediaRole.VIDEO, course["video"]))
    if kind == LessonKind.PODCAST:
        lesson.media.append(_media_file(MediaRole.AUDIO, "episode-chime.ogg"))
    for language, transcript in lesson.transcripts.items():
        vtt = webvtt_from_transcript(transcript)
        checked = media.check_upload("captions", vtt, f"{course['code'].lower()}-{position}-{language}.vtt")
        lesson.media.append(_lesson_media(MediaRole.CAPTIONS, checked, language))
    if kind == LessonKind.QUIZ:
        lesson.settings = {"pass_mark": 70}
        for number, question in enumerate(data["questions"], start=1):
            lesson.questions.append(_question(question, number))
    if kind == LessonKind.CASE_LAB:
        lesson.settings = {
            "rubric": [
                {"id": f"c{i}", "points": points, "titles": titles}
                for i, (points, titles) in enumerate(data["rubric"], start=1)
            ],
            "pass_points": data["pass_points"],
        }
    return lesson


def _media_file(role: MediaRole, filename: str) -> LessonMedia:
    checked = media.check_upload(role.value, (MEDIA_FOLDER / filename).read_bytes(), filename)
    return _lesson_media(role, checked, None)


def _lesson_media(role: MediaRole, checked: media.CheckedFile, language: str | None) -> LessonMedia:
    return LessonMedia(
        role=role,
        language=language,
        storage_key=media.store("courseware", checked),
        filename=checked.filename,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
    )


def webvtt_from_transcript(transcript: str, seconds_per_cue: float = 4.5) -> bytes:
    """Captions for a lesson's script: one cue per sentence, timed at a steady reading pace."""
    sentences = [s for s in re.split(r"(?<=[.!?؟。])\s+", " ".join(transcript.split())) if s]
    lines = ["WEBVTT", ""]
    for index, sentence in enumerate(sentences):
        start, end = index * seconds_per_cue, (index + 1) * seconds_per_cue
        lines += [f"{_timestamp(start)} --> {_timestamp(end)}", sentence, ""]
    return "\n".join(lines).encode()


def _timestamp(seconds: float) -> str:
    whole = int(seconds)
    millis = round((seconds - whole) * 1000)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}.{millis:03d}"


def _question(data: dict[str, Any], position: int) -> PracticeQuestion:
    qtype = data["type"]
    languages = list(data["stem"])
    contents: dict[str, Any] = {}
    for language in languages:
        content: dict[str, Any] = {"stem": data["stem"][language]}
        if "options" in data:
            content["options"] = [
                {"id": OPTION_IDS[i], "text": option[language]} for i, option in enumerate(data["options"])
            ]
        if "prompts" in data:
            content["prompts"] = [{"id": f"p{i + 1}", "text": p[language]} for i, p in enumerate(data["prompts"])]
        contents[language] = content
    answer = [a.strip() for a in data["answer"].split(",")]
    if qtype == "single_choice":
        key: dict[str, Any] = {"correct": answer[0]}
    elif qtype == "multiple_response":
        key = {"correct": answer}
    elif qtype == "true_false":
        key = {"correct": answer[0] == "true"}
    elif qtype == "ordering":
        key = {"order": answer}
    else:
        key = {"pairs": {f"p{pair.split('=')[0]}": pair.split("=")[1] for pair in answer}}
    for content in contents.values():
        question_type(qtype).validate(content, key)  # demo content obeys the same rules as authored content
    return PracticeQuestion(
        position=position, qtype=qtype, contents=contents, key=key, explanations=data.get("explanations", {})
    )


# --- the demo learner ------------------------------------------------------------------------------


def _learner_journey(context: DemoContext) -> None:
    """Layla completed AI+ Essentials (the exam is unlocked), is midway through AI+ Executive with a lab
    waiting for her instructor, and has just started AI+ Healthcare."""
    learner = context.accounts.get("learner@demo.lms")
    instructor = context.accounts.get("instructor@demo.lms")
    gulf = context.organisations.get("atp_gulf")
    if learner is None:
        return
    courses = context.objects["courses"]
    partner_id = gulf.id if gulf is not None else None
    essentials = enrol(
        user_id=learner.id,
        course_version_id=courses["ESS"].current_version.id,
        source=EnrolmentSource.PARTNER if partner_id else EnrolmentSource.STAFF,
        partner_id=partner_id,
        origin_ref="demo:essentials",
    )
    executive = enrol(
        user_id=learner.id,
        course_version_id=courses["EXE"].current_version.id,
        source=EnrolmentSource.PARTNER if partner_id else EnrolmentSource.STAFF,
        partner_id=partner_id,
        origin_ref="demo:executive",
    )
    healthcare = enrol(
        user_id=learner.id,
        course_version_id=courses["HLT"].current_version.id,
        source=EnrolmentSource.STAFF,
        origin_ref="demo:healthcare",
    )
    context.objects["demo_enrolments"] = {"ESS": essentials, "EXE": executive, "HLT": healthcare}
    if _has_progress(essentials.id):
        return
    for lesson in essentials.course_version.lessons:
        _work_through(essentials, lesson, learner.id, instructor, passing=True)
    executive_lessons = executive.course_version.lessons
    for lesson in executive_lessons[:3]:
        _work_through(executive, lesson, learner.id, instructor, passing=True)
    lab = next(lesson for lesson in executive_lessons if lesson.kind == LessonKind.CASE_LAB)
    labs.submit(
        executive,
        lab,
        text="Pilots: the claims-document summariser (high value, low risk, output checked by handlers) and the "
        "fraud-scoring model (high value; high-risk controls: bias testing, human review of every flag). "
        "Scale each only if handling time falls by 20 % with no rise in complaints.",
        uploads=[],
        actor_id=learner.id,
    )
    record(healthcare, healthcare.course_version.lessons[0], Verb.VIEWED)
    if db.session.execute(sa.select(MentorExchange.id).where(MentorExchange.user_id == learner.id)).first() is None:
        version = essentials.course_version
        for question in ("What is a hallucination?", "How do I book a flight to Dubai?"):
            mentor.ask(user_id=learner.id, version=version, question=question, locale="en", enrolment=essentials)
        mentor.ask(user_id=learner.id, version=version, question="ما هي الهلوسة؟", locale="ar", enrolment=essentials)


def _has_progress(enrolment_id: int) -> bool:
    return (
        db.session.execute(sa.select(LessonProgress.id).where(LessonProgress.enrolment_id == enrolment_id)).first()
        is not None
    )


def _work_through(enrolment: Any, lesson: Lesson, learner_id: int, instructor: Any, *, passing: bool) -> None:
    record(enrolment, lesson, Verb.VIEWED)
    if lesson.kind in (LessonKind.VIDEO, LessonKind.PODCAST, LessonKind.EBOOK):
        record(enrolment, lesson, Verb.COMPLETED)
    elif lesson.kind == LessonKind.QUIZ:
        quizzes.submit(enrolment, lesson, _right_answers(lesson), "en")
    elif lesson.kind == LessonKind.CASE_LAB and instructor is not None:
        submission = labs.submit(
            enrolment,
            lesson,
            text="Allowed: drafting customer emails and summarising reports after removing names and addresses. "
            "Never paste personal or confidential data into the public assistant; use the approved internal tool. "
            "Every email is read and corrected by the sender before it goes out; the team lead is accountable.",
            uploads=[],
            actor_id=learner_id,
        )
        if passing and db.session.get(LabSubmission, submission.id).status.value == "submitted":
            labs.grade(
                submission.id,
                grader=instructor,
                scores={c["id"]: c["points"] for c in labs.rubric(lesson)},
                comments={},
                feedback="Clear, practical and safe. Well done.",
            )
    elif lesson.kind == LessonKind.MENTOR:
        record(enrolment, lesson, Verb.COMPLETED)


def _right_answers(lesson: Lesson) -> MultiDict:
    form = MultiDict()
    for question in lesson.questions:
        name = f"q{question.id}"
        key = question.key
        if question.qtype == "single_choice":
            form.add(name, key["correct"])
        elif question.qtype == "multiple_response":
            for option in key["correct"]:
                form.add(name, option)
        elif question.qtype == "true_false":
            form.add(name, "true" if key["correct"] else "false")
        elif question.qtype == "ordering":
            for position, option in enumerate(key["order"], start=1):
                form.add(f"{name}-{option}", str(position))
        elif question.qtype == "matching":
            for prompt, option in key["pairs"].items():
                form.add(f"{name}-{prompt}", option)
    return form
