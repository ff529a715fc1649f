package io.vigil.console;

import io.vigil.config.VigilProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;

/**
 * The console and the HTTP API behind one login (vigil.console.username / password): form login for people,
 * HTTP Basic for scripts. Health and info stay open for load balancers. CSRF uses the XSRF-TOKEN cookie that
 * Hawtio's single-page app sends back as X-XSRF-TOKEN; requests with an Authorization header need no token.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleSecurity {

    static final String DEFAULT_PASSWORD = "change-me";
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleSecurity.class);

    @Bean
    SecurityFilterChain consoleFilterChain(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(auth -> auth
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info", "/login", "/error").permitAll()
                        .anyRequest().hasRole("OPERATOR"))
                .formLogin(form -> form.defaultSuccessUrl("/actuator/hawtio/", false))
                .httpBasic(Customizer.withDefaults())
                .csrf(csrf -> csrf
                        .csrfTokenRepository(CookieCsrfTokenRepository.withHttpOnlyFalse())
                        .csrfTokenRequestHandler(new CsrfTokenRequestAttributeHandler())
                        .ignoringRequestMatchers("/api/**")
                        // a request that carries its own credentials cannot be forged by another site
                        .ignoringRequestMatchers(request -> request.getHeader("Authorization") != null));
        return http.build();
    }

    @Bean
    UserDetailsService consoleUsers(VigilProperties properties) {
        VigilProperties.Console console = properties.console();
        if (DEFAULT_PASSWORD.equals(console.password())) {
            LOG.warn("The console password is the shipped default: set vigil.console.password "
                    + "(environment VIGIL_CONSOLE_PASSWORD) before this appliance sees real patients.");
        }
        PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
        String stored = console.password().startsWith("{") ? console.password() : encoder.encode(console.password());
        return new InMemoryUserDetailsManager(User.withUsername(console.username())
                .password(stored).roles("OPERATOR").build());
    }
}
