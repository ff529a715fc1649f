package io.vigil.console;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** The root URL opens the console. */
@Controller
class HomeController {

    @GetMapping("/")
    String home() {
        return "redirect:/actuator/hawtio/";
    }
}
