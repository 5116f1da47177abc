package dev.jitaccess.jwt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.jitaccess.Decision;
import org.junit.jupiter.api.Test;

class JwtVerifyScenarioTest {

  @Test
  void bothPathsAcceptTheSameTokenRepeatedly() {
    try (JwtVerifyScenario scenario = new JwtVerifyScenario()) {
      for (int i = 0; i < 100; i++) {
        Decision decision = scenario.verifyWithLiveCheck();
        assertTrue(decision.isAllowed(), decision::toString);
        JWTClaimsSet claims = scenario.rawNimbusVerify();
        assertEquals("bench-workload", claims.getSubject());
        assertEquals(Fixture.claimsOf(scenario.token()).getJWTID(), claims.getJWTID());
      }
    }
  }
}
