from lms.partners.services import ledger


def test_learner_books_and_pays_a_class_seat(client, login, create_user, make_partner, make_class, body):
    partner, _admin = make_partner()
    training_class = make_class(partner, capacity=3)
    learner = create_user()
    login(client, learner)
    page = client.get(f"/classes/{training_class.id}")
    assert page.status_code == 200, page.get_data(as_text=True)[:2000]
    response = client.post(f"/classes/{training_class.id}/book")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    order_url = response.headers["Location"]
    page = client.get(order_url)
    assert page.status_code == 200, page.get_data(as_text=True)[:3000]
    response = client.post(order_url + "/pay", data={"provider": "test"})
    assert response.status_code == 302
    assert ledger.check_balance().ok
    schedule = client.get("/schedule")
    assert schedule.status_code == 200, schedule.get_data(as_text=True)[:3000]
    dash = client.get("/dashboard")
    assert dash.status_code == 200, dash.get_data(as_text=True)[:3000]
