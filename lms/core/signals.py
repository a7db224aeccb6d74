"""Signals through which one domain reacts to another without importing it (blinker).

Senders pass plain values as keyword arguments (ids, not objects) so a receiver can hand them to a
task unchanged. Receivers that need work done after commit use ``lms.core.tasks.enqueue``.
A signal whose receivers *return* something (``dashboard_panels``) is how a page of one domain
shows content contributed by others.
"""

from blinker import Namespace

_signals = Namespace()

# accounts
user_registered = _signals.signal("user-registered")  # user_id
user_logged_in = _signals.signal("user-logged-in")  # user_id
#: Receivers return ``DashboardPanel`` objects for the signed-in user's dashboard (sender: the user).
dashboard_panels = _signals.signal("dashboard-panels")

# courses
#: Sender: a CourseVersion. Receivers return a list of short texts describing what a seat includes
#: beyond the courseware (e.g. exams: "2 exam attempts"), shown on the course page.
seat_inclusions = _signals.signal("seat-inclusions")
#: Sender: a CourseVersion. Receivers return a list of ``SeatOffer`` (how to get a seat: buy an eLearning
#: seat, join a class…), shown on the course page.
seat_offers = _signals.signal("seat-offers")
enrolment_created = _signals.signal("enrolment-created")  # enrolment_id, user_id, course_version_id
enrolment_changed = _signals.signal("enrolment-changed")  # enrolment_id, status
lesson_completed = _signals.signal("lesson-completed")  # user_id, lesson_id, enrolment_id
course_completed = _signals.signal("course-completed")  # user_id, enrolment_id, course_id

# partners (classes, seats, orders)
#: class_id, user_id, attended (meetings attended so far), total (meetings held so far)
attendance_recorded = _signals.signal("attendance-recorded")
seat_confirmed = _signals.signal("seat-confirmed")  # seat_id, class_id, partner_id, user_id
seat_released = _signals.signal("seat-released")  # seat_id, class_id, partner_id
order_paid = _signals.signal("order-paid")  # order_id
order_refunded = _signals.signal("order-refunded")  # order_id, refund_id
#: A partner's exam voucher code was redeemed: user_id, track_id, origin_ref ("voucher:123")
exam_voucher_redeemed = _signals.signal("exam-voucher-redeemed")
#: A code entered at checkout that is not a partner voucher. Sender: the code (upper-cased string);
#: kwargs: order_id, user_id, currency, net_amount (minor units before the code). Receivers return
#: ``lms.core.dashboard.CheckoutCode`` (a discount and the channel it brings) or None.
checkout_code_lookup = _signals.signal("checkout-code-lookup")

# exams
exam_passed = _signals.signal("exam-passed")  # attempt_id, user_id, track_id, partner_id, decided_at
exam_result_released = _signals.signal("exam-result-released")  # attempt_id, user_id, passed

# certificates
certificate_issued = _signals.signal("certificate-issued")  # certificate_id, user_id, partner_id
#: certificate_id, status, reason, partner_id (the training partner named on it: its webhooks hear of revocations)
certificate_status_changed = _signals.signal("certificate-status-changed")

# affiliates
#: commission_id, affiliate_id, partner_id (when the commission is owed to a partner organisation: its webhooks)
commission_approved = _signals.signal("commission-approved")
