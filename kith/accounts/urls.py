from django.urls import path

from kith.accounts import admin_views, views

app_name = "accounts"

urlpatterns = [
    path("sign-in", views.sign_in, name="sign-in"),
    path("sign-in/security-code", views.two_factor, name="two-factor"),
    path("sign-in/set-up-authenticator", views.set_up_two_factor, name="set-up-two-factor"),
    path("account/backup-codes", views.backup_codes, name="backup-codes"),
    path("account/change-password", views.change_password, name="change-password"),
    path("sign-out", views.sign_out, name="sign-out"),
    path("signed-out", views.signed_out, name="signed-out"),
    path("session/keep-alive", views.keep_alive, name="keep-alive"),
    path("notifications", views.notifications, name="notifications"),
    path("administration/staff", admin_views.user_list, name="admin-users"),
    path("administration/staff/new", admin_views.user_create, name="admin-user-create"),
    path("administration/staff/<uuid:user_id>", admin_views.user_detail, name="admin-user"),
    path(
        "administration/staff/<uuid:user_id>/add-to-team",
        admin_views.membership_add,
        name="admin-membership-add",
    ),
    path(
        "administration/staff/<uuid:user_id>/leaver", admin_views.user_leaver, name="admin-leaver"
    ),
    path(
        "administration/staff/<uuid:user_id>/reset-second-factor",
        admin_views.second_factor_reset,
        name="admin-reset-second-factor",
    ),
    path(
        "administration/staff/<uuid:user_id>/reset-password",
        admin_views.password_reset,
        name="admin-reset-password",
    ),
    path(
        "administration/staff/<uuid:user_id>/unlock", admin_views.user_unlock, name="admin-unlock"
    ),
    path(
        "administration/memberships/<uuid:membership_id>/end",
        admin_views.membership_end,
        name="admin-membership-end",
    ),
]
