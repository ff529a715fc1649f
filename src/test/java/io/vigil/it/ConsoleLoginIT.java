package io.vigil.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.support.ApplianceTestSupport;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** A person's way into the console: the login form, a session, then Hawtio and its Camel routes. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"vigil.console.username=operator", "vigil.console.password=s3cret-for-test"})
@DirtiesContext
class ConsoleLoginIT {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" type=\"hidden\" value=\"([^\"]+)\"");

    @DynamicPropertySource
    static void listeners(DynamicPropertyRegistry registry) {
        ApplianceTestSupport.register(registry, null);
    }

    @LocalServerPort
    int port;

    private HttpResponse<String> get(HttpClient browser, String path) throws Exception {
        return browser.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Accept", "text/html").build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> login(HttpClient browser, String password) throws Exception {
        Matcher token = CSRF.matcher(get(browser, "/login").body());
        assertThat(token.find()).as("login form carries a CSRF token").isTrue();
        String form = "username=operator&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8)
                + "&_csrf=" + URLEncoder.encode(token.group(1), StandardCharsets.UTF_8);
        return browser.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpClient browser() {
        return HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Test
    void shouldOpenTheConsoleAfterLoginWithTheConfiguredCredentials() throws Exception {
        HttpClient browser = browser();
        assertThat(get(browser, "/actuator/hawtio/").headers().firstValue("Location")).hasValueSatisfying(
                location -> assertThat(location).endsWith("/login"));

        HttpResponse<String> loggedIn = login(browser, "s3cret-for-test");

        assertThat(loggedIn.statusCode()).isEqualTo(302);
        assertThat(loggedIn.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).contains("/actuator/hawtio/"));
        HttpResponse<String> console = get(browser, "/actuator/hawtio/");
        assertThat(console.statusCode()).isEqualTo(200);
        assertThat(console.body()).containsIgnoringCase("hawtio");
        HttpResponse<String> routes = get(browser, "/actuator/jolokia/search/org.apache.camel:context=vigil,type=routes,*");
        assertThat(routes.body()).contains("ingest-hl7", "deliver-ehr");
    }

    @Test
    void shouldRefuseAWrongPassword() throws Exception {
        HttpClient browser = browser();

        HttpResponse<String> refused = login(browser, "not-the-password");

        assertThat(refused.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/login?error"));
        assertThat(get(browser, "/actuator/hawtio/").statusCode()).isEqualTo(302);
    }
}
