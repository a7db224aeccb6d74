def test_home_page_renders(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "AI Certification Network" in response.get_data(as_text=True)


def test_signed_in_user_sees_their_dashboard(client, create_user, login):
    user = create_user(display_name="Amira")
    login(client, user)
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Hello, Amira" in page
