package dev.jitaccess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DecisionTest {
  /** A module's own codes, as an enum refining the runtime's reasons. */
  enum ModuleCode implements DenialCode {
    FORGED_STAMP(DenyReason.INVALID_TOKEN),
    STALE_PROOF(DenyReason.INVALID_PROOF);

    private final DenyReason reason;

    ModuleCode(DenyReason reason) {
      this.reason = reason;
    }

    @Override
    public DenyReason reason() {
      return reason;
    }
  }

  @Test
  void aRuntimeReasonIsItsOwnCode() {
    for (DenyReason reason : DenyReason.values()) {
      assertSame(reason, reason.reason());
      Decision shared = Decision.deny(reason);
      assertSame(reason, shared.code());
      assertSame(reason, shared.reason());
      assertSame(shared, Decision.deny(reason), "a denial without detail is shared");
      Decision detailed = Decision.deny(reason, "why");
      assertSame(reason, detailed.code());
      assertSame(reason, detailed.reason());
    }
  }

  @Test
  void aModuleCodeKeepsItsNameAndAnswersTheReasonItRefines() {
    Decision d = Decision.deny(ModuleCode.FORGED_STAMP, "the stamp is forged");
    assertTrue(d.isDenied());
    assertSame(ModuleCode.FORGED_STAMP, d.code());
    assertSame(DenyReason.INVALID_TOKEN, d.reason());
    assertEquals("DENY(FORGED_STAMP: the stamp is forged)", d.toString());
    assertEquals(Decision.deny(ModuleCode.FORGED_STAMP, "the stamp is forged"), d);
    assertNotEquals(Decision.deny(DenyReason.INVALID_TOKEN, "the stamp is forged"), d,
        "two codes that refine one reason are different denials");
    assertNotEquals(Decision.deny(ModuleCode.STALE_PROOF, "the stamp is forged"), d);
  }

  @Test
  void allowHasNoCodeNoReasonAndNoDetail() {
    Decision allow = Decision.allow();
    assertNull(allow.code());
    assertNull(allow.reason());
    assertNull(allow.detail());
    assertEquals("ALLOW", allow.toString());
  }

  @Test
  void aCodeWithoutAReasonOrANameIsRefusedNamingWhatIsMissing() {
    DenialCode noReason = new DenialCode() {
      @Override
      public String name() {
        return "NO_REASON";
      }

      @Override
      public DenyReason reason() {
        return null;
      }
    };
    DenialCode noName = new DenialCode() {
      @Override
      public String name() {
        return null;
      }

      @Override
      public DenyReason reason() {
        return DenyReason.INVALID_TOKEN;
      }
    };
    assertEquals("code.reason() must not be null",
        assertThrows(NullPointerException.class, () -> Decision.deny(noReason, "d")).getMessage());
    assertEquals("code.name() must not be null",
        assertThrows(NullPointerException.class, () -> Decision.deny(noName, "d")).getMessage());
    assertEquals("code must not be null",
        assertThrows(NullPointerException.class, () -> Decision.deny(null, "d")).getMessage());
    assertEquals("detail must not be null", assertThrows(NullPointerException.class,
        () -> Decision.deny(ModuleCode.FORGED_STAMP, null)).getMessage());
  }

  @Test
  void anAccessDeniedExceptionNamesTheCode() {
    AccessDeniedException e = new AccessDeniedException(
        Decision.deny(ModuleCode.STALE_PROOF, "old"), "g-1", "read", "orders/1");
    assertTrue(e.getMessage().startsWith("access denied (STALE_PROOF) for read on orders/1"),
        e.getMessage());
    assertSame(DenyReason.INVALID_PROOF, e.reason());
  }
}
