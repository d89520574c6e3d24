using System.Net;
using System.Text.RegularExpressions;

namespace AutoMLStudio.Web.Tests;

/// <summary>
/// What a browser does with the studio's account forms, over a cookie-keeping client that does not follow redirects:
/// read the page for its antiforgery token, post the fields, hand back where the studio sends it.
/// </summary>
public sealed partial class FormBrowser(HttpClient client)
{
    public HttpClient Client => client;

    /// <summary>Posts <paramref name="fields"/> to <paramref name="action"/> with the token of the form on <paramref name="page"/>.</summary>
    public async Task<HttpResponseMessage> PostAsync(string page, string action, Dictionary<string, string> fields)
    {
        var html = await client.GetStringAsync(page);
        fields["__RequestVerificationToken"] = TokenPattern().Match(html).Groups[1].Value;
        return await client.PostAsync(action, new FormUrlEncodedContent(fields));
    }

    public Task<HttpResponseMessage> SignInAsync(string email, string password, string returnUrl = "/") =>
        PostAsync("/account/login", "/account/login", new() { ["email"] = email, ["password"] = password, ["returnUrl"] = returnUrl });

    /// <summary>The redirect target of <paramref name="response"/>, exactly as the server wrote it.</summary>
    public static string Location(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther,
            $"expected a redirect, got {(int)response.StatusCode}: {response.Content.ReadAsStringAsync().Result}");
        return response.Headers.Location!.OriginalString;
    }

    /// <summary>The visible text of a page, without tags, as a person reads it.</summary>
    public async Task<string> TextAsync(string url) =>
        WebUtility.HtmlDecode(TagPattern().Replace(await client.GetStringAsync(url), " "));

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex TagPattern();
}
