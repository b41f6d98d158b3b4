/* Unit tests of auth: users, passwords, logins and lockout, sessions, API tokens. */
#include "unit.h"

#include "auth/auth.h"

static const struct auth_policy policy = {12, 5, 15};
static const char pw[] = "correct horse battery";

static int setup(void **state)
{
	struct fixture *f = unit_fixture_new();
	struct pg_err err = {0};
	if (auth_user_add(f->s, "test", "alice", "operator", pw, NULL, &err) < 0) {
		fprintf(stderr, "setup: %s\n", err.msg);
		return -1;
	}
	*state = f;
	return 0;
}

static int login(struct fixture *f, const char *user, const char *pass, struct auth_principal *p,
		 char token[AUTH_TOKEN_LEN], struct pg_err *err)
{
	int64_t exp, retry;
	return auth_login(f->s, &policy, user, pass, "127.0.0.1", token, p, &exp, &retry, err);
}

static void roles_parse_by_name_only(void **state)
{
	(void)state;
	enum pg_role r;
	assert_int_equal(auth_role_parse("pfso", &r), 0);
	assert_int_equal(r, ROLE_PFSO);
	assert_int_equal(auth_role_parse("PFSO", &r), PG_EINVAL);
	char out[128];
	auth_roles_format(ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_AUDITOR), out, sizeof(out));
	assert_string_equal(out, "admin, auditor");
}

static void user_add_refuses_bad_names_roles_passwords_and_duplicates(void **state)
{
	struct fixture *f = *state;
	struct pg_err err = {0};
	assert_int_equal(auth_user_add(f->s, "t", "Bob", "gate", pw, NULL, &err), PG_EUNPROCESSABLE);
	assert_string_equal(err.field, "username");
	assert_int_equal(auth_user_add(f->s, "t", "bob", "captain", pw, NULL, &err), PG_EUNPROCESSABLE);
	assert_string_equal(err.field, "role");
	assert_int_equal(auth_user_add(f->s, "t", "bob", "gate", "short", NULL, &err), PG_EUNPROCESSABLE);
	assert_string_equal(err.field, "password");
	assert_int_equal(auth_user_add(f->s, "t", "alice", "gate", pw, NULL, &err), PG_ECONFLICT);
	json_t *page = NULL;
	assert_int_equal(auth_users_list(f->s, 10, 0, &page, &err), 0);
	assert_int_equal(json_array_size(json_object_get(page, "items")), 1);
	json_decref(page);
}

static void login_gives_a_session_that_lookup_finds(void **state)
{
	struct fixture *f = *state;
	struct pg_err err = {0};
	struct auth_principal p, q;
	char token[AUTH_TOKEN_LEN];
	assert_int_equal(login(f, "alice", pw, &p, token, &err), 0);
	assert_int_equal(p.role, ROLE_OPERATOR);
	assert_int_equal(strlen(token), 64);
	assert_int_equal(auth_session_lookup(f->s, token, &q, &err), 0);
	assert_string_equal(q.name, "alice");
	assert_string_equal(q.csrf, p.csrf);
	assert_int_equal(auth_logout(f->s, &q, &err), 0);
	assert_int_equal(auth_session_lookup(f->s, token, &q, &err), PG_EAUTH);
}

static void wrong_password_and_unknown_user_look_the_same(void **state)
{
	struct fixture *f = *state;
	struct pg_err e1 = {0}, e2 = {0};
	struct auth_principal p;
	char token[AUTH_TOKEN_LEN];
	assert_int_equal(login(f, "alice", "wrong password!", &p, token, &e1), PG_EAUTH);
	assert_int_equal(login(f, "nobody", "wrong password!", &p, token, &e2), PG_EAUTH);
	assert_string_equal(e1.msg, e2.msg);
}

static void five_failures_lock_the_account_even_for_the_right_password(void **state)
{
	struct fixture *f = *state;
	struct pg_err err = {0};
	struct auth_principal p;
	char token[AUTH_TOKEN_LEN];
	for (int i = 0; i < 5; i++)
		assert_int_equal(login(f, "alice", "wrong password!", &p, token, &err), PG_EAUTH);
	int64_t exp, retry = 0;
	assert_int_equal(auth_login(f->s, &policy, "alice", pw, "x", token, &p, &exp, &retry, &err),
			 PG_ELOCKED);
	assert_true(retry > 14 * 60 && retry <= 15 * 60);
	assert_non_null(strstr(err.msg, "locked"));
}

static void four_failures_then_success_resets_the_count(void **state)
{
	struct fixture *f = *state;
	struct pg_err err = {0};
	struct auth_principal p;
	char token[AUTH_TOKEN_LEN];
	for (int i = 0; i < 4; i++)
		assert_int_equal(login(f, "alice", "wrong password!", &p, token, &err), PG_EAUTH);
	assert_int_equal(login(f, "alice", pw, &p, token, &err), 0);
	for (int i = 0; i < 4; i++)
		assert_int_equal(login(f, "alice", "wrong password!", &p, token, &err), PG_EAUTH);
	assert_int_equal(login(f, "alice", pw, &p, token, &err), 0);
}

static void disabling_a_user_ends_sessions_and_logins(void **state)
{
	struct fixture *f = *state;
	struct pg_err err = {0};
	struct auth_principal p, q;
	char token[AUTH_TOKEN_LEN];
	assert_int_equal(login(f, "alice", pw, &p, token, &err), 0);
	json_t *u = NULL;
	assert_int_equal(auth_user_update(f->s, "admin", p.id, NULL, 1, &u, &err), 0);
	assert_true(json_is_true(json_object_get(u, "disabled")));
	json_decref(u);
	assert_int_equal(auth_session_lookup(f->s, token, &q, &err), PG_EAUTH);
	assert_int_equal(login(f, "alice", pw, &p, token, &err), PG_EAUTH);
	assert_int_equal(auth_user_update(f->s, "admin", 999, "gate", -1, NULL, &err), PG_ENOTFOUND);
}

static void tokens_work_until_revoked(void **state)
{
	struct fixture *f = *state;
	struct pg_err err = {0};
	char token[AUTH_TOKEN_LEN];
	json_t *t = NULL;
	assert_int_equal(auth_token_create(f->s, "admin", "gate-3", "device", token, &t, &err), 0);
	assert_int_equal(strncmp(token, "pgt_", 4), 0);
	assert_int_equal(strlen(token), 68);
	struct auth_principal p;
	assert_int_equal(auth_token_lookup(f->s, token, &p, &err), 0);
	assert_int_equal(p.role, ROLE_DEVICE);
	assert_true(p.is_token);
	assert_string_equal(p.name, "token:gate-3");
	int64_t id = json_integer_value(json_object_get(t, "id"));
	json_decref(t);
	assert_int_equal(auth_token_revoke(f->s, "admin", id, &err), 0);
	assert_int_equal(auth_token_lookup(f->s, token, &p, &err), PG_EAUTH);
	assert_int_equal(auth_token_revoke(f->s, "admin", id, &err), PG_ECONFLICT);
	assert_int_equal(auth_token_revoke(f->s, "admin", 4242, &err), PG_ENOTFOUND);
	assert_int_equal(auth_token_create(f->s, "admin", "x", "pirate", token, NULL, &err),
			 PG_EUNPROCESSABLE);
}

static void every_change_is_in_the_audit_chain(void **state)
{
	struct fixture *f = *state;
	struct pg_err err = {0};
	struct auth_principal p;
	char token[AUTH_TOKEN_LEN];
	login(f, "alice", "wrong password!", &p, token, &err);
	login(f, "alice", pw, &p, token, &err);
	auth_token_create(f->s, "admin", "t", "device", token, NULL, &err);
	int64_t count = 0;
	assert_int_equal(store_audit_verify(f->s, &count, NULL, &err), 0);
	/* user.create, login.failed, login, token.create */
	assert_int_equal(count, 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(roles_parse_by_name_only),
		cmocka_unit_test_setup_teardown(user_add_refuses_bad_names_roles_passwords_and_duplicates, setup, unit_teardown),
		cmocka_unit_test_setup_teardown(login_gives_a_session_that_lookup_finds, setup, unit_teardown),
		cmocka_unit_test_setup_teardown(wrong_password_and_unknown_user_look_the_same, setup, unit_teardown),
		cmocka_unit_test_setup_teardown(five_failures_lock_the_account_even_for_the_right_password, setup, unit_teardown),
		cmocka_unit_test_setup_teardown(four_failures_then_success_resets_the_count, setup, unit_teardown),
		cmocka_unit_test_setup_teardown(disabling_a_user_ends_sessions_and_logins, setup, unit_teardown),
		cmocka_unit_test_setup_teardown(tokens_work_until_revoked, setup, unit_teardown),
		cmocka_unit_test_setup_teardown(every_change_is_in_the_audit_chain, setup, unit_teardown),
	};
	return cmocka_run_group_tests_name("auth", tests, NULL, NULL);
}
