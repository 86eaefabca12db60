"""A user's own API token: shown once they ask for it, rotated when they want a new one."""

from django.contrib import messages
from django.shortcuts import redirect, render
from rest_framework.authtoken.models import Token

from accounts.authentication import TOKEN_REFUSED, signs_in_only_through_sso
from bporeg.access import EVERYONE, role_required


@role_required(*EVERYONE)
def api_token(request):
    if signs_in_only_through_sso(request.user):
        # The API would refuse the token (accounts/authentication.py): say so rather than issue one.
        return render(request, "kpis/api_token.html", {"refused": TOKEN_REFUSED})
    if request.method == "POST":
        # Rotating deletes the old key first: a leaked token stops working at once.
        Token.objects.filter(user=request.user).delete()
        Token.objects.create(user=request.user)
        messages.success(request, "A new API token was created; the previous one no longer works.")
        return redirect("kpis:api-token")
    token = Token.objects.filter(user=request.user).first()
    return render(request, "kpis/api_token.html", {"token": token})
